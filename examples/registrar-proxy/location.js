// A location service (RFC 3261 section 10.3) over drachtio-session's Store: the bindings of each
// address-of-record, as one JSON value per AOR, expiring with the last of them. Any Store works:
// MemoryStore for one process, RedisStore when several instances of the registrar share it.
'use strict';

const DEFAULTS = { minExpires: 60, maxExpires: 3600, defaultExpires: 3600, maxBindings: 16 };

class LocationService {
  constructor(store, options = {}) {
    this.store = store;
    this.options = { ...DEFAULTS, ...options };
  }

  /** `sip:user@host`: the key of an AOR (scheme, user and host of a URI; no port, no parameters). */
  static aorOf(uri) {
    const match = /^sips?:(?:([^@;>]+)@)?([^:;>?]+)/i.exec(uri.replace(/^.*</, ''));
    if (!match) return undefined;
    return `sip:${match[1] ?? ''}@${match[2].toLowerCase()}`;
  }

  /** Live bindings of `aor`, best q first. */
  async lookup(aor) {
    const now = Date.now();
    return (await this.read(aor)).filter((b) => b.expiresAt > now).sort((a, b) => b.q - a.q);
  }

  /**
   * Processes a REGISTER (10.3 steps 5-8) for an authenticated user; returns the status and
   * headers of the answer. Never throws on bad input: that is a 400.
   */
  async register(req) {
    const aor = LocationService.aorOf(req.getHeader('to') ?? '');
    if (!aor) return { status: 400, reason: 'Bad To header' };
    const user = aor.slice(4, aor.indexOf('@'));
    // 10.3 step 6: the authenticated user may change only its own bindings.
    if (req.authorization && req.authorization.username !== user) return { status: 403 };
    const contactHeader = (req.getHeader('contact') ?? '').trim();
    const expiresHeader = req.getHeader('expires');
    const callId = req.callId;
    const cseq = Number(/^\s*(\d+)/.exec(req.getHeader('cseq') ?? '')?.[1] ?? 0);
    const path = req.getHeader('path');

    let bindings = await this.lookup(aor);
    if (contactHeader === '*') {
      // 10.3 step 6: "*" only with Expires: 0, alone.
      if (expiresHeader?.trim() !== '0')
        return { status: 400, reason: 'Contact * needs Expires: 0' };
      await this.store.destroy(key(aor));
      return { status: 200 };
    }
    let contacts;
    try {
      contacts = contactHeader === '' ? [] : req.get('contact');
    } catch {
      return { status: 400, reason: 'Bad Contact header' };
    }
    const { minExpires, maxExpires, defaultExpires, maxBindings } = this.options;
    for (const contact of contacts) {
      const requested =
        contact.expires ?? (expiresHeader !== undefined ? Number(expiresHeader) : defaultExpires);
      if (!Number.isInteger(requested) || requested < 0)
        return { status: 400, reason: 'Bad expires' };
      // 10.3 step 7: too brief is refused with the minimum; too long is shortened.
      if (requested > 0 && requested < minExpires)
        return { status: 423, headers: { 'Min-Expires': minExpires } };
      const existing = bindings.find((b) => b.contact === contact.uri);
      if (existing && existing.callId === callId && existing.cseq >= cseq) {
        return { status: 500, reason: 'Server Internal Error - CSeq out of order' };
      }
      bindings = bindings.filter((b) => b.contact !== contact.uri);
      if (requested === 0) continue;
      const q = contact.q ?? 1;
      const expires = Math.min(requested, maxExpires);
      bindings.push({
        contact: contact.uri,
        q,
        expiresAt: Date.now() + expires * 1000,
        callId,
        cseq,
        path,
      });
    }
    if (bindings.length > maxBindings)
      return { status: 403, reason: `At most ${maxBindings} bindings` };
    await this.write(aor, bindings);
    return { status: 200, headers: this.answerHeaders(bindings, req, path) };
  }

  /** 10.3 step 8: every current binding with its remaining time; Path echoed (RFC 3327 5.3). */
  answerHeaders(bindings, req, path) {
    const now = Date.now();
    const headers = {};
    if (bindings.length > 0) {
      headers.Contact = bindings.map(
        (b) =>
          `<${b.contact}>;expires=${Math.max(0, Math.round((b.expiresAt - now) / 1000))};q=${b.q}`,
      );
    }
    if (path && /\bpath\b/i.test(req.getHeader('supported') ?? '')) headers.Path = path;
    return headers;
  }

  async read(aor) {
    const value = await this.store.get(key(aor));
    try {
      return value ? JSON.parse(value) : [];
    } catch {
      return [];
    }
  }

  async write(aor, bindings) {
    if (bindings.length === 0) return this.store.destroy(key(aor));
    const ttl = Math.ceil((Math.max(...bindings.map((b) => b.expiresAt)) - Date.now()) / 1000);
    await this.store.set(key(aor), JSON.stringify(bindings), Math.max(ttl, 1));
  }
}

function key(aor) {
  return `location:${aor}`;
}

module.exports = { LocationService };
