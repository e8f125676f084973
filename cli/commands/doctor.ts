import { Command } from 'commander';
import { formatChecks } from '../../emails/doctor/check.ts';
import { runDoctor } from '../../emails/doctor/doctor.ts';
import { type DataOptions, withDataOptions } from '../options.ts';

export const doctorCommand = withDataOptions(new Command('doctor'))
  .action(async (options: DataOptions) => {
    const checks = await runDoctor({ source: options.source, asOf: options.asOf });
    for (const line of formatChecks(checks)) console.log(line);
    if (checks.some((c) => c.status === 'fail')) process.exitCode = 1;
  });
