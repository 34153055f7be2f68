import { Index, createEffect } from 'solid-js';
import type { MediaPathStore } from '../stores/mediaPath.ts';

/**
 * The relay's audio slots (the loudest speakers), one <audio> each (<Index>: a slot keeps its element).
 * A slot plays only while its speaker's tile shows relay media: before that, the speaker's voice still
 * comes with the mesh stream.
 */
export function RelayAudio(props: { path: MediaPathStore }) {
  return (
    <div hidden>
      <Index each={props.path.relayAudio()}>
        {(slot) => {
          let element!: HTMLAudioElement;
          createEffect(() => {
            const { stream, play } = slot();
            if (element.srcObject !== stream) element.srcObject = stream;
            element.muted = !play;
            if (play) element.play().catch(() => undefined);
          });
          return <audio ref={element} autoplay data-testid="relay-audio" data-mid={slot().mid} />;
        }}
      </Index>
    </div>
  );
}
