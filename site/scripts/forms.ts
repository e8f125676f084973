/**
 * The sign-up, confirmation and preference forms (form[data-post]): reads the link's query, joins
 * the chosen ids into one comma-separated answer, and posts to the Google Form with fetch(no-cors)
 * so the visitor stays on our page. Everything from the address bar is checked against a pattern or
 * against the choices on the page and only ever set as a value or textContent, never as HTML.
 */
import { idProblem } from '../../sync/cells/id-rule.ts';

/** Signed tokens are base64url parts joined by dots (emails/unsubscribe.ts; the sign-up token likewise). */
const TOKEN = /^[\w-]+(?:\.[\w-]+)*$/;
const validToken = (t: string) => t.length >= 16 && t.length <= 512 && TOKEN.test(t);

const params = new URLSearchParams(location.search);
const byId = (id: string) => document.getElementById(id);

function setUp(form: HTMLFormElement) {
  const inputs = (selector: string) => [...form.querySelectorAll<HTMLInputElement>(selector)];
  const error = byId('form-error')!;
  const fail = (message: string, focus?: HTMLElement) => {
    error.textContent = message;
    error.hidden = false;
    focus?.focus();
  };

  for (const input of inputs('input[data-from="t"]')) {
    const token = params.get('t')?.trim() ?? '';
    if (!validToken(token)) {
      byId('bad-link')!.hidden = false;
      form.hidden = true;
      return;
    }
    input.value = token;
  }

  for (const input of inputs('input[data-from="event"]')) {
    const event = params.get('event')?.trim() ?? '';
    // The rule sync applies to event ids (any script: 中秋-晚會.2026), so the printed QR codes' links work.
    if (!event || idProblem(event)) continue;
    input.value = event;
    const note = byId('event-note')!;
    note.textContent = note.dataset.template!.replace('{id}', event);
    note.hidden = false;
  }

  // The preference link carries the current choices; anything not offered on this page is ignored.
  if (form.dataset.prefill !== undefined) {
    for (const name of ['channels', 'topics', 'frequency']) {
      const boxes = inputs(`input[data-choice="${name}"]`);
      const wanted = (params.get(name) ?? '').split(',').map((v) => v.trim());
      if (boxes.some((b) => wanted.includes(b.value))) for (const box of boxes) box.checked = wanted.includes(box.value);
    }
  }

  // A text message needs a number to go to.
  const sms = form.querySelector<HTMLInputElement>('input[data-choice="channels"][value="sms"]');
  const phone = form.querySelector<HTMLInputElement>('input[type="tel"]');
  if (sms && phone) {
    const needPhone = () => (phone.required = sms.checked);
    sms.addEventListener('change', needPhone);
    needPhone();
  }

  const button = form.querySelector<HTMLButtonElement>('button[type="submit"]')!;
  const label = button.textContent;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.hidden = true;
    for (const hidden of inputs('input[data-joins]')) {
      const boxes = inputs(`input[data-choice="${hidden.dataset.joins}"]`);
      const chosen = boxes.filter((b) => b.checked).map((b) => b.value);
      if (chosen.length === 0) return fail(hidden.dataset.need!, boxes[0]);
      hidden.value = chosen.join(',');
    }
    button.disabled = true;
    button.textContent = form.dataset.sending!;
    try {
      // Google answers without CORS headers: the response is opaque, and only a network failure is seen.
      await fetch(form.action, { method: 'POST', mode: 'no-cors', body: new URLSearchParams(new FormData(form) as unknown as Record<string, string>) });
    } catch {
      button.disabled = false;
      button.textContent = label;
      return fail(form.dataset.failed!, button);
    }
    form.hidden = true;
    const done = byId('done')!;
    done.hidden = false;
    done.focus();
  });
}

const form = document.querySelector<HTMLFormElement>('form[data-post]');
if (form) setUp(form);

// A preference link may also carry the person's unsubscribe token (u=): leaving everything is then one click too.
const leave = document.querySelector<HTMLAnchorElement>('a[data-unsubscribe]');
const unsubscribeToken = params.get('u')?.trim() ?? '';
if (leave && validToken(unsubscribeToken)) {
  const url = new URL(leave.href);
  url.searchParams.set('t', unsubscribeToken);
  leave.href = url.toString();
}
