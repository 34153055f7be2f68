import { media, type MediaProblem } from '../stores/media.ts';
import { t } from '../stores/i18n.ts';
import { shortcutLabel } from '../lib/shortcuts.ts';
import { Icon } from './Icon.tsx';
import { showToast } from './Toast.tsx';
import { mediaProblemText } from './mediaProblem.ts';

/** Mic and camera on/off buttons; `prefix` gives the test ids (`prejoin-mic` / `toggle-mic`). */
export function MediaToggles(props: { prefix: 'prejoin' | 'toggle' }) {
  const micLabel = () => (media.micOn() ? t('micOn') : t('micOff'));
  const camLabel = () => (media.cameraOn() ? t('cameraOn') : t('cameraOff'));
  const report = (problem: MediaProblem | null) => problem && showToast(mediaProblemText(problem));
  const ids = () => (props.prefix === 'prejoin' ? ['prejoin-mic', 'prejoin-camera'] : ['toggle-mic', 'toggle-camera']);
  return (
    <>
      <button
        type="button"
        class="ctrl"
        classList={{ off: !media.micOn() }}
        data-testid={ids()[0]}
        aria-pressed={media.micOn()}
        aria-label={micLabel()}
        title={t('shortcut', { label: micLabel(), keys: shortcutLabel('mic') })}
        onClick={() => void media.setMicOn(!media.micOn()).then(report)}
      >
        <Icon name={media.micOn() ? 'mic' : 'micOff'} />
      </button>
      <button
        type="button"
        class="ctrl"
        classList={{ off: !media.cameraOn() }}
        data-testid={ids()[1]}
        aria-pressed={media.cameraOn()}
        aria-label={camLabel()}
        title={t('shortcut', { label: camLabel(), keys: shortcutLabel('camera') })}
        onClick={() => void media.setCameraOn(!media.cameraOn()).then(report)}
      >
        <Icon name={media.cameraOn() ? 'camera' : 'cameraOff'} />
      </button>
    </>
  );
}
