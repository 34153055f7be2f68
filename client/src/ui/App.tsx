import { Match, Switch, createMemo } from 'solid-js';
import { pathname } from '../stores/router.ts';
import { roomIdFromPath } from '../lib/roomCode.ts';
import { Home } from './Home.tsx';
import { RoomPage } from './RoomPage.tsx';
import { NotFound } from './NotFound.tsx';

export function App() {
  const roomId = createMemo(() => roomIdFromPath(pathname()));
  return (
    <Switch fallback={<NotFound />}>
      <Match when={pathname() === '/'}>
        <Home />
      </Match>
      <Match when={roomId()} keyed>
        {(id) => <RoomPage roomId={id} />}
      </Match>
    </Switch>
  );
}
