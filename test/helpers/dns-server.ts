// A real DNS responder over UDP on 127.0.0.1 for tests: answers A, AAAA and CNAME from a table
// (following CNAME chains for A/AAAA like a real authoritative server), NXDOMAIN for unknown names,
// an empty NOERROR answer when the name exists without the asked type. The table can be changed
// while it runs (a failover flips a record) and the server can be told to stop answering (timeouts).
import { createSocket, type RemoteInfo } from 'node:dgram';
import { isIPv4, isIPv6 } from 'node:net';

export interface DnsRecords {
  A?: string[];
  AAAA?: string[];
  CNAME?: string;
}
export type DnsTable = Record<string, DnsRecords>;

export interface RunningDnsServer {
  host: string;
  port: number;
  /** `127.0.0.1:PORT`, the form a dns check's `resolver` takes. */
  address: string;
  /** Every question received, in order (name as asked, type mnemonic). */
  queries: { name: string; type: string }[];
  /** Replaces (or with undefined, removes) the records of one name. */
  set(name: string, records: DnsRecords | undefined): void;
  /** While true, queries are read and logged but never answered. */
  silence(on: boolean): void;
  close(): Promise<void>;
}

const TYPE_CODES = { A: 1, CNAME: 5, AAAA: 28 } as const;
const TYPE_NAMES: Record<number, string> = { 1: 'A', 5: 'CNAME', 28: 'AAAA' };
const RCODE = { ok: 0, formErr: 1, nxDomain: 3, notImp: 4 } as const;

export async function startDnsServer(
  table: DnsTable,
  opts: { ttl?: number } = {},
): Promise<RunningDnsServer> {
  const records = new Map<string, DnsRecords>();
  for (const [name, r] of Object.entries(table)) records.set(key(name), r);
  const ttl = opts.ttl ?? 30;
  const queries: RunningDnsServer['queries'] = [];
  let silent = false;

  const socket = createSocket('udp4');
  socket.on('message', (msg: Buffer, peer: RemoteInfo) => {
    const question = parseQuestion(msg);
    if (question)
      queries.push({ name: question.name, type: TYPE_NAMES[question.type] ?? String(question.type) });
    if (silent) return;
    const reply = question ? answer(msg, question, records, ttl) : header(msg, RCODE.formErr, 0, 0);
    socket.send(reply, peer.port, peer.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve());
  });
  const port = socket.address().port;
  return {
    host: '127.0.0.1',
    port,
    address: `127.0.0.1:${port}`,
    queries,
    set(name, r) {
      if (r === undefined) records.delete(key(name));
      else records.set(key(name), r);
    },
    silence(on) {
      silent = on;
    },
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

interface Question {
  name: string;
  type: number;
  /** The question section exactly as received (echoed back, preserving the asker's letter case). */
  raw: Buffer;
}

function parseQuestion(msg: Buffer): Question | undefined {
  if (msg.length < 12 || msg.readUInt16BE(4) !== 1) return undefined;
  const labels: string[] = [];
  let at = 12;
  for (;;) {
    const len = msg[at];
    if (len === undefined || len > 63) return undefined; // no compression in a question we can answer
    at++;
    if (len === 0) break;
    labels.push(msg.subarray(at, at + len).toString('latin1'));
    at += len;
  }
  if (at + 4 > msg.length) return undefined;
  return { name: labels.join('.'), type: msg.readUInt16BE(at), raw: msg.subarray(12, at + 4) };
}

function answer(query: Buffer, q: Question, records: Map<string, DnsRecords>, ttl: number): Buffer {
  const opcode = (query.readUInt16BE(2) >> 11) & 0xf;
  if (opcode !== 0) return Buffer.concat([header(query, RCODE.notImp, 1, 0), q.raw]);
  const entry = records.get(key(q.name));
  if (!entry) return Buffer.concat([header(query, RCODE.nxDomain, 1, 0), q.raw]);

  const rrs: Buffer[] = [];
  // The first owner name is a pointer to the question (offset 12); chained owners are written out.
  let owner: Buffer = Buffer.from([0xc0, 0x0c]);
  let current: DnsRecords | undefined = entry;
  for (let hop = 0; current && hop < 8; hop++) {
    if (q.type === TYPE_CODES.CNAME) {
      if (current.CNAME) rrs.push(rr(owner, TYPE_CODES.CNAME, ttl, encodeName(current.CNAME)));
      break;
    }
    const wanted =
      q.type === TYPE_CODES.A ? current.A : q.type === TYPE_CODES.AAAA ? current.AAAA : undefined;
    if (wanted && wanted.length > 0) {
      for (const ip of wanted)
        rrs.push(rr(owner, q.type, ttl, q.type === TYPE_CODES.A ? ipv4(ip) : ipv6(ip)));
      break;
    }
    if (!current.CNAME || (q.type !== TYPE_CODES.A && q.type !== TYPE_CODES.AAAA)) break;
    rrs.push(rr(owner, TYPE_CODES.CNAME, ttl, encodeName(current.CNAME)));
    owner = encodeName(current.CNAME);
    current = records.get(key(current.CNAME));
  }
  return Buffer.concat([header(query, RCODE.ok, 1, rrs.length), q.raw, ...rrs]);
}

/** Response header: same id, QR + AA + RA, the asker's RD bit, one question echoed. */
function header(query: Buffer, rcode: number, qdcount: number, ancount: number): Buffer {
  const h = Buffer.alloc(12);
  h.writeUInt16BE(query.length >= 2 ? query.readUInt16BE(0) : 0, 0);
  const rd = query.length >= 4 ? query.readUInt16BE(2) & 0x0100 : 0;
  const opcode = query.length >= 4 ? query.readUInt16BE(2) & 0x7800 : 0;
  h.writeUInt16BE(0x8000 | opcode | 0x0400 | rd | 0x0080 | rcode, 2);
  h.writeUInt16BE(qdcount, 4);
  h.writeUInt16BE(ancount, 6);
  return h;
}

function rr(owner: Buffer, type: number, ttl: number, rdata: Buffer): Buffer {
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(type, 0);
  fixed.writeUInt16BE(1, 2); // class IN
  fixed.writeUInt32BE(ttl, 4);
  fixed.writeUInt16BE(rdata.length, 8);
  return Buffer.concat([owner, fixed, rdata]);
}

function encodeName(name: string): Buffer {
  const labels = name.replace(/\.$/, '').split('.').filter(Boolean);
  return Buffer.concat([
    ...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'latin1')])),
    Buffer.from([0]),
  ]);
}

function ipv4(ip: string): Buffer {
  if (!isIPv4(ip)) throw new Error(`dns-server: "${ip}" is not an IPv4 address`);
  return Buffer.from(ip.split('.').map(Number));
}

function ipv6(ip: string): Buffer {
  if (!isIPv6(ip) || ip.includes('.')) throw new Error(`dns-server: "${ip}" is not a plain IPv6 address`);
  const [head = '', tail] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => {
    out.writeUInt16BE(Number.parseInt(g, 16), i * 2);
  });
  return out;
}

function key(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}
