// React (the email templates) runs its development build, several times slower and checking
// things only a developer needs, unless NODE_ENV says production. The CLI is the product, so it
// says so before anything loads React; tests and the Astro build set NODE_ENV themselves.
process.env.NODE_ENV ??= 'production';
