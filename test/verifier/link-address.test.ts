/** linkAddress: printed links carry the host the poll's own record names, never one the server merely says. */
import { describe, expect, test } from 'vitest';
import { linkAddress } from '../../verifier/index.ts';

const POLL = '0123456789abcdef0123456789abcdef';
const ORIGIN = `vote.example.org/poll/${POLL}`;

describe('linkAddress', () => {
  test('takes the server’s address when its host is the one the manifest names, without a trailing slash', () => {
    expect(linkAddress('https://vote.example.org', ORIGIN)).toEqual({ ok: true, address: 'https://vote.example.org' });
    expect(linkAddress('https://VOTE.example.org/', ORIGIN)).toEqual({ ok: true, address: 'https://vote.example.org' });
    expect(linkAddress('http://127.0.0.1:3000', `127.0.0.1:3000/poll/${POLL}`)).toEqual({ ok: true, address: 'http://127.0.0.1:3000' });
    expect(linkAddress('http://[::1]:3000', `[::1]:3000/poll/${POLL}`)).toEqual({ ok: true, address: 'http://[::1]:3000' });
  });

  test('refuses another host, another port, or a look-alike name', () => {
    for (const said of ['https://vote.example.org.evil.test', 'https://evil.test', 'https://vote.example.org:8443', 'https://vote-example.org', 'https://v\u043Ete.example.org'])
      expect(linkAddress(said, ORIGIN), said).toEqual({ ok: false, said, recorded: 'vote.example.org', reason: 'other-host' });
    expect(linkAddress('http://127.0.0.1:3001', `127.0.0.1:3000/poll/${POLL}`)).toMatchObject({ ok: false, reason: 'other-host' });
  });

  test('refuses what is not a plain address: other schemes, a path, a query, a fragment, user info', () => {
    for (const said of ['javascript:alert(1)', 'ftp://vote.example.org', 'https://vote.example.org/x', 'https://vote.example.org/?a=1', 'https://vote.example.org/#x', 'https://a@vote.example.org', 'not a url', ''])
      expect(linkAddress(said, ORIGIN), said).toMatchObject({ ok: false, reason: 'not-an-address' });
  });

  test('refuses when the manifest’s origin is not of the form <host>/poll/<id>', () => {
    expect(linkAddress('https://vote.example.org', 'vote.example.org')).toEqual({ ok: false, said: 'https://vote.example.org', recorded: null, reason: 'other-host' });
  });

  test('refuses a downgrade to http of the host this page reached over https; allows http where the page is http too', () => {
    expect(linkAddress('http://vote.example.org', ORIGIN, 'https://vote.example.org/organiser/polls/x')).toMatchObject({ ok: false, reason: 'downgrade' });
    expect(linkAddress('http://vote.example.org', ORIGIN, 'http://vote.example.org/organiser')).toEqual({ ok: true, address: 'http://vote.example.org' });
    expect(linkAddress('http://vote.example.org', ORIGIN, 'http://127.0.0.1:3000/organiser')).toEqual({ ok: true, address: 'http://vote.example.org' });
  });
});
