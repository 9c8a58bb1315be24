/** addressReach: which server addresses residents' phones cannot open (loopback, private networks). */
import { describe, expect, test } from 'vitest';
import { addressReach } from '../../verifier/index.ts';

describe('addressReach', () => {
  test('loopback: 127.0.0.0/8, ::1, localhost, and the unspecified addresses', () => {
    for (const url of ['http://127.0.0.1:3000', 'http://127.8.9.10', 'http://localhost:3000/', 'http://LOCALHOST', 'http://app.localhost:8080', 'http://[::1]:3000', 'http://0.0.0.0:3000', 'http://[::]:3000', 'http://[::ffff:127.0.0.1]:3000'])
      expect(addressReach(url), url).toBe('loopback');
  });

  test('private: 10/8, 172.16/12, 192.168/16, link-local, fc00::/7, fe80::/10, *.local and names without a dot', () => {
    for (const url of [
      'http://10.0.0.5:3000',
      'http://172.16.0.1',
      'http://172.31.255.255',
      'http://192.168.1.20:3000',
      'http://169.254.3.4',
      'http://[fc00::1]',
      'http://[fd12:3456:789a::1]:3000',
      'http://[fe80::1ff:fe23:4567:890a]',
      'http://[febf::1]',
      'http://[::ffff:192.168.0.1]',
      'http://raspberrypi.local:3000',
      'http://vote.local.',
      'http://raspberrypi:3000',
    ])
      expect(addressReach(url), url).toBe('private');
  });

  test('public: anything else, and an address that cannot be read', () => {
    for (const url of ['https://vote.example.org', 'http://172.15.0.1', 'http://172.32.0.1', 'http://192.169.0.1', 'http://11.0.0.1', 'http://8.8.8.8:3000', 'http://[2001:db8::1]', 'http://[fec0::1]', 'http://[::ffff:8.8.8.8]', 'https://localhost.example.org', 'not a url', ''])
      expect(addressReach(url), url).toBe('public');
  });
});
