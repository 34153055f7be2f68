import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TRANSPORT_CC_URI, withTransportCcFeedback } from './transport-cc.ts';

const ext = `a=extmap:3 ${TRANSPORT_CC_URI}`;
const answer = [
  'v=0', 'o=- 1 1 IN IP4 0.0.0.0', 's=-', 't=0 0',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=mid:0', ext, 'a=recvonly', 'a=rtpmap:111 opus/48000/2', 'a=fmtp:111 usedtx=1',
  'm=video 9 UDP/TLS/RTP/SAVPF 96 98', 'a=mid:1', ext, 'a=recvonly', 'a=rtpmap:96 VP8/90000', 'a=rtcp-fb:96 nack', 'a=rtpmap:98 VP9/90000', 'a=rtcp-fb:98 transport-cc',
  'm=video 9 UDP/TLS/RTP/SAVPF 96', 'a=mid:2', 'a=sendonly', 'a=rtpmap:96 VP8/90000',
  'm=video 9 UDP/TLS/RTP/SAVPF 96', 'a=mid:3', 'a=recvonly', 'a=rtpmap:96 VP8/90000',
  '',
].join('\r\n');

test('withTransportCcFeedback() asks for feedback on every format the relay receives with the extension, and only there', () => {
  const out = withTransportCcFeedback(answer);
  const section = (mid: number) => out.split(/(?=^m=)/m).find((s) => s.includes(`a=mid:${mid}\r\n`))!;
  assert.match(section(0), 'a=rtpmap:111 opus/48000/2\r\na=rtcp-fb:111 transport-cc\r\n');
  assert.match(section(1), 'a=rtpmap:96 VP8/90000\r\na=rtcp-fb:96 transport-cc\r\n');
  assert.is(section(1).split('a=rtcp-fb:98 transport-cc').length, 2, 'not twice where it already is');
  assert.not.match(section(2), 'transport-cc', 'a receive slot (the relay sends)');
  assert.not.match(section(3), 'transport-cc', 'no extension negotiated: no feedback');
  assert.is(withTransportCcFeedback(out), out, 'idempotent');
});

test.run();
