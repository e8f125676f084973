/** A problem that stops an email command, with what to do about it: exit code 2 with the message. */
export class EmailError extends Error {}
