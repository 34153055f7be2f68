import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { classifyOffer, offerIdentity } from './ice-restart.ts';

const offer = (ufrag: string, pwd: string, fingerprint: string) =>
  ['v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'a=group:BUNDLE 0 1', 'm=audio 9 UDP/TLS/RTP/SAVPF 111', `a=ice-ufrag:${ufrag}`, `a=ice-pwd:${pwd}`, `a=fingerprint:sha-256 ${fingerprint}`, 'a=setup:actpass', 'a=mid:0', 'm=video 9 UDP/TLS/RTP/SAVPF 96', `a=ice-ufrag:${ufrag}`, `a=ice-pwd:${pwd}`, `a=fingerprint:sha-256 ${fingerprint}`, 'a=mid:1', ''].join('\r\n');

const A = offer('abcd', 'p'.repeat(22), 'AA:BB:CC');

test('offerIdentity() reads the ICE credentials and the fingerprint (case-insensitive) of the first m-section', () => {
  assert.equal(offerIdentity(A), { ufrag: 'abcd', pwd: 'p'.repeat(22), fingerprint: 'sha-256 aa:bb:cc' });
  assert.equal(offerIdentity('v=0\r\n'), { ufrag: undefined, pwd: undefined, fingerprint: undefined });
});

test('classifyOffer(): new credentials with the same certificate are an ICE restart; a new certificate is a new connection', () => {
  const a = offerIdentity(A);
  assert.is(classifyOffer(undefined, a), 'first');
  assert.is(classifyOffer(a, offerIdentity(A)), 'same');
  assert.is(classifyOffer(a, offerIdentity(offer('efgh', 'q'.repeat(22), 'AA:BB:CC'))), 'ice-restart');
  assert.is(classifyOffer(a, offerIdentity(offer('abcd', 'q'.repeat(22), 'aa:bb:cc'))), 'ice-restart', 'a new password alone restarts too');
  assert.is(classifyOffer(a, offerIdentity(offer('efgh', 'q'.repeat(22), 'DD:EE:FF'))), 'new-connection');
  assert.is(classifyOffer(a, offerIdentity(offer('abcd', 'p'.repeat(22), 'DD:EE:FF'))), 'new-connection');
});

test.run();
