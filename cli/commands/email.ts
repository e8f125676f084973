import { Command } from 'commander';

const preview = new Command('preview')
  .description('render every email template with sample data into <out>/private/email-preview/ (open index.html)')
  .option('--out <dir>', 'where outputs go', 'out')
  .action(async (options: { out: string }) => {
    const { writePreviews } = await import('../../emails/preview.ts');
    console.log(`email preview → ${await writePreviews(options.out)}`);
  });

export const emailCommand = new Command('email').addCommand(preview);
