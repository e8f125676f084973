import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for Google Forms' response endpoint on 127.0.0.1, for the site's /join/, /confirm/
 * and /preferences/ pages. Google documents no API for submitting responses; what it has is what
 * Google's own form page does and what static sites that post to a form rely on:
 * - answers are POSTed to https://docs.google.com/forms/d/e/<form id>/formResponse as
 *   application/x-www-form-urlencoded `entry.<question id>=<answer>` pairs, the question ids being
 *   the ones in the form's pre-filled link (…/viewform?usp=pp_url&entry.N=…): the "Get pre-filled
 *   link → replace viewform with formResponse" recipe of MarketingPipeline/Serverless-Forms
 *   (guides/newsletter-1.md, guides/contact-form.md) and the form page's own <form method=post
 *   action=…/formResponse> with inputs named entry.N;
 * - a recorded response is answered 200 with an HTML page ("Your response has been recorded"),
 *   with no Access-Control-Allow-Origin header, which is why pages on another origin post with
 *   fetch(…, { mode: 'no-cors' }) and see an opaque response (the pattern of those same sites);
 * - an address with no such form answers 404.
 * Every POST to a known form is recorded as it arrived, so tests assert exactly what Google would get.
 */
export interface FakeGoogleForm {
  url: string;
  /** The …/formResponse address of the form with this id. */
  action(formId: string): string;
  /** The answers each form received, in order: one URLSearchParams per submission, with its content type. */
  posts(formId: string): { contentType: string; answers: URLSearchParams }[];
  close(): Promise<void>;
}

export async function startFakeGoogleForm(formIds: string[]): Promise<FakeGoogleForm> {
  const received = new Map<string, { contentType: string; answers: URLSearchParams }[]>(formIds.map((id) => [id, []]));
  const server: Server = createServer((req, res) => {
    const match = /^\/forms\/d\/e\/([\w-]+)\/formResponse$/.exec(new URL(req.url ?? '/', 'http://x').pathname);
    const form = match ? received.get(match[1]) : undefined;
    if (req.method !== 'POST' || !form) {
      res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>Not Found</title><p>Sorry, the file you have requested does not exist.</p>');
      return;
    }
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      form.push({ contentType: String(req.headers['content-type'] ?? ''), answers: new URLSearchParams(body) });
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><html lang="en"><title>Form</title><p>Your response has been recorded.</p></html>');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    action: (formId) => `${url}/forms/d/e/${formId}/formResponse`,
    posts: (formId) => received.get(formId) ?? [],
    close: () => new Promise((done) => {
      server.closeAllConnections();
      server.close(() => done());
    }),
  };
}
