import type { MediaProblem } from '../stores/media.ts';
import { t } from '../stores/i18n.ts';

export function mediaProblemText(problem: MediaProblem): string {
  switch (problem.kind) {
    case 'permission-denied':
      return t('permissionDenied');
    case 'no-device':
      return t('noDevice');
    case 'in-use':
      return t('deviceInUse');
    case 'other':
      return t('mediaError', { message: problem.message });
  }
}
