import { assertWebhookUrlAllowed, ipv6Bytes, isPublicAddress, WebhookUrlRefused } from './webhook-url-policy.js';

const resolvingTo =
  (...addresses: string[]) =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

async function refusal(url: string, resolve = resolvingTo('93.184.215.14')): Promise<string | null> {
  try {
    await assertWebhookUrlAllowed(url, false, resolve);
    return null;
  } catch (error) {
    return (error as WebhookUrlRefused).code;
  }
}

describe('webhook URL policy', () => {
  it('parses IPv6 addresses, including compressed and dotted forms', () => {
    expect(ipv6Bytes('::1')).toEqual([...Array(15).fill(0), 1]);
    expect(ipv6Bytes('::ffff:127.0.0.1')).toEqual([...Array(10).fill(0), 255, 255, 127, 0, 0, 1]);
    expect(ipv6Bytes('2001:db8::8a2e:370:7334')).toEqual([
      0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0x8a, 0x2e, 0x03, 0x70, 0x73, 0x34,
    ]);
  });

  it('tells public addresses from loopback, private, link-local and metadata ones', () => {
    for (const inside of [
      '127.0.0.1',
      '10.1.2.3',
      '172.31.255.255',
      '192.168.0.10',
      '169.254.169.254',
      '100.64.0.1',
      '100.127.255.255',
      '0.0.0.0',
      '255.255.255.255',
      '224.0.0.1',
      '::',
      '::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:a9fe:a9fe',
      '64:ff9b::a9fe:a9fe',
      'fc00::1',
      'fd00:ec2::254',
      'fe80::1%eth0',
      'ff02::1',
      '2001:db8::1',
      'not-an-ip',
    ]) {
      expect([inside, isPublicAddress(inside)]).toEqual([inside, false]);
    }
    for (const outside of [
      '93.184.215.14',
      '8.8.8.8',
      '100.128.0.1',
      '172.32.0.1',
      '2606:4700::1111',
      '::ffff:8.8.8.8',
    ]) {
      expect([outside, isPublicAddress(outside)]).toEqual([outside, true]);
    }
  });

  it('refuses private hosts, names that resolve inside and non-http schemes', async () => {
    expect(await refusal('https://hooks.example.com/ai-receive')).toBeNull();
    expect(await refusal('http://127.0.0.1:8080/hook')).toBe('url_not_allowed');
    expect(await refusal('http://[::ffff:127.0.0.1]/hook')).toBe('url_not_allowed');
    expect(await refusal('http://[fd12:3456::1]/hook')).toBe('url_not_allowed');
    expect(await refusal('http://169.254.169.254/latest/meta-data')).toBe('url_not_allowed');
    expect(await refusal('http://2130706433/')).toBe('url_not_allowed');
    expect(await refusal('http://localhost:3000/')).toBe('url_not_allowed');
    expect(await refusal('http://metadata.internal/', resolvingTo('169.254.169.254'))).toBe('url_not_allowed');
    expect(await refusal('http://split.example/', resolvingTo('93.184.215.14', '10.0.0.5'))).toBe('url_not_allowed');
    expect(await refusal('ftp://example.com/')).toBe('url_invalid');
    expect(await refusal('https://user:pw@example.com/')).toBe('url_invalid');
    expect(await refusal('not a url')).toBe('url_invalid');
  });

  it('accepts a name that does not resolve yet, since each delivery checks it again', async () => {
    const unresolvable = async () => {
      throw new Error('ENOTFOUND');
    };
    expect(await refusal('https://not-yet.example/', unresolvable)).toBeNull();
  });

  it('allows private hosts when configured to', async () => {
    await expect(assertWebhookUrlAllowed('http://127.0.0.1:9/', true)).resolves.toBeInstanceOf(URL);
  });
});
