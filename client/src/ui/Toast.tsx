import { Show, createSignal } from 'solid-js';

const [message, setMessage] = createSignal<string | null>(null);
let timer: ReturnType<typeof setTimeout> | undefined;

export function showToast(text: string): void {
  clearTimeout(timer);
  setMessage(text);
  timer = setTimeout(() => setMessage(null), 3500);
}

/** A short confirmation ("Link copied"), announced politely to screen readers. */
export function Toast() {
  return (
    <div class="toast-region" role="status" aria-live="polite">
      <Show when={message()}>{(text) => <div class="toast">{text()}</div>}</Show>
    </div>
  );
}
