import { Match, Switch, createSignal, onCleanup } from 'solid-js';
import type { CachedJoin } from '../lib/joinCache.ts';
import type { MessageKey } from '../i18n/en.ts';
import { media } from '../stores/media.ts';
import { forgetJoin } from '../stores/joining.ts';
import { PreJoin } from './PreJoin.tsx';
import { Room, type RoomEnd } from './Room.tsx';
import { EndScreen } from './EndScreen.tsx';

type Phase =
  | { kind: 'prejoin'; notice: MessageKey | null }
  | { kind: 'room'; join: CachedJoin }
  | { kind: 'ended'; reason: Exclude<RoomEnd, 'unauthorized'>; meshMax: number; detail?: string };

/** `/<room-id>`: pre-join, then the room, then an end screen (left, replaced, full, gone). */
export function RoomPage(props: { roomId: string }) {
  const [phase, setPhase] = createSignal<Phase>({ kind: 'prejoin', notice: null });
  onCleanup(() => media.stopAll());

  const ended = (reason: RoomEnd, join: CachedJoin, detail?: string) => {
    if (reason === 'unauthorized') {
      forgetJoin(props.roomId);
      setPhase({ kind: 'prejoin', notice: 'sessionExpired' });
      return;
    }
    media.stopAll();
    setPhase({ kind: 'ended', reason, meshMax: join.meshMax, detail });
  };

  return (
    <Switch>
      <Match when={phase().kind === 'prejoin' && (phase() as Extract<Phase, { kind: 'prejoin' }>)} keyed>
        {(p) => <PreJoin roomId={props.roomId} notice={p.notice} onJoined={(join) => setPhase({ kind: 'room', join })} />}
      </Match>
      <Match when={phase().kind === 'room' && (phase() as Extract<Phase, { kind: 'room' }>)} keyed>
        {(p) => <Room roomId={props.roomId} join={p.join} onEnd={(reason, detail) => ended(reason, p.join, detail)} />}
      </Match>
      <Match when={phase().kind === 'ended' && (phase() as Extract<Phase, { kind: 'ended' }>)} keyed>
        {(p) => <EndScreen reason={p.reason} meshMax={p.meshMax} detail={p.detail} onRejoin={() => setPhase({ kind: 'prejoin', notice: null })} />}
      </Match>
    </Switch>
  );
}
