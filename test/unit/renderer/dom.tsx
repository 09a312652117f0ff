import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { App } from '../../../src-renderer/components/app';
import type { fakeApi } from './fake-api';

/**
 * Renders the whole app against a fake bridge in happy-dom, and drives it like a user.
 *
 * Text goes into a controlled input through the prototype's value setter and an `input` event,
 * which is what React listens for.
 */

declare global {
  var IS_REACT_ACT_ENVIRONMENT: boolean;
}
globalThis.IS_REACT_ACT_ENVIRONMENT = true;

export interface Rendered {
  container: HTMLElement;
  unmount(): Promise<void>;
}

export async function renderApp(fake: ReturnType<typeof fakeApi>): Promise<Rendered> {
  window.tokendeck = fake.api;
  const container = document.createElement('div');
  document.body.append(container);
  const root: Root = createRoot(container);
  await act(async () => root.render(<App />));
  return {
    container,
    async unmount() {
      await act(async () => root.unmount());
      container.remove();
      delete window.tokendeck;
    },
  };
}

const valueSetter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;

/** Types `value` into an input, replacing what was there. */
export async function typeInto(input: Element | null | undefined, value: string): Promise<void> {
  if (!(input instanceof HTMLInputElement)) throw new Error('No input to type into.');
  await act(async () => {
    valueSetter?.call(input, value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

/** Clicks an element (a button, a checkbox) inside `act`. */
export async function click(element: Element | null | undefined): Promise<void> {
  if (!(element instanceof HTMLElement)) throw new Error('Nothing to click.');
  await act(async () => element.click());
}

/** The button whose text is exactly `text`. */
export function button(container: HTMLElement, text: string): HTMLButtonElement {
  const found = [...container.querySelectorAll('button')].find(
    (candidate) => candidate.textContent?.trim() === text,
  );
  if (!found) throw new Error(`No button "${text}".`);
  return found;
}

/** The input labelled `label` inside the form named `form`. */
export function field(container: HTMLElement, form: string, label: string): HTMLInputElement {
  const scope = container.querySelector(`form[aria-label="${form}"]`);
  if (!scope) throw new Error(`No form "${form}".`);
  const labelElement = [...scope.querySelectorAll('label')].find(
    (candidate) => candidate.textContent?.trim() === label,
  );
  const input = labelElement ? scope.querySelector(`[id="${labelElement.htmlFor}"]`) : null;
  if (!(input instanceof HTMLInputElement)) throw new Error(`No field "${label}" in "${form}".`);
  return input;
}

/** Every alert's text inside `scope`. */
export function alerts(scope: Element | null): string[] {
  return [...(scope?.querySelectorAll('[role="alert"]') ?? [])].map(
    (element) => element.textContent ?? '',
  );
}
