import { For, Show, createEffect, createSignal, on, onMount } from 'solid-js';
import type { ChatMessage } from '../../../crdt/index.ts';
import { formatTime, t } from '../stores/i18n.ts';
import { Icon } from './Icon.tsx';

/**
 * The chat: a log (aria-live) of messages rendered as text nodes only, and an input where Enter sends.
 */
export function ChatPanel(props: { messages: ChatMessage[]; selfId: string; onSend(text: string): unknown; onClose(): void }) {
  const [draft, setDraft] = createSignal('');
  let log!: HTMLOListElement;
  let input!: HTMLInputElement;

  onMount(() => input.focus());
  createEffect(
    on(
      () => props.messages.length,
      () => {
        log.scrollTop = log.scrollHeight;
      },
    ),
  );

  const send = (event: SubmitEvent) => {
    event.preventDefault();
    if (draft().trim() === '') return;
    if (props.onSend(draft()) !== null) setDraft('');
  };

  return (
    <aside class="panel chat-panel" aria-labelledby="chat-title">
      <header class="panel-header">
        <h2 id="chat-title">{t('chatTitle')}</h2>
        <button type="button" class="btn icon-only" aria-label={t('close')} title={t('close')} onClick={() => props.onClose()}>
          <Icon name="close" />
        </button>
      </header>
      <ol ref={log} class="messages" role="log" aria-live="polite" aria-relevant="additions" aria-labelledby="chat-title">
        <For each={props.messages}>
          {(m) => (
            <li class="message" classList={{ mine: m.participantId === props.selfId }} data-testid="chat-message" data-author={m.participantId}>
              <div class="message-meta">
                <span class="message-author">{m.participantId === props.selfId ? t('you') : m.name}</span>
                <time dateTime={new Date(m.ts).toISOString()}>{formatTime(m.ts)}</time>
              </div>
              <p class="message-text">{m.text}</p>
            </li>
          )}
        </For>
      </ol>
      <Show when={props.messages.length === 0}>
        <p class="muted empty">{t('chatEmpty')}</p>
      </Show>
      <form class="chat-form" onSubmit={send}>
        <label class="visually-hidden" for="chat-input">{t('chatInputLabel')}</label>
        <input
          ref={input}
          id="chat-input"
          data-testid="chat-input"
          type="text"
          autocomplete="off"
          maxLength={4000}
          placeholder={t('chatPlaceholder')}
          value={draft()}
          onInput={(e) => setDraft(e.currentTarget.value)}
        />
        <button type="submit" class="btn icon-only primary" aria-label={t('chatSend')} title={t('chatSend')}>
          <Icon name="send" />
        </button>
      </form>
    </aside>
  );
}
