import { inflateRawSync } from 'node:zlib';

/**
 * An .xlsx upload is a zip archive: 1 MB on the wire can inflate to gigabytes (a "zip bomb") or hold
 * tens of thousands of entries. The reader inflates the parts it reads into memory (xlsx-rows.ts), so
 * the archive is checked first: its directory's entry count, declared sizes and compression ratios,
 * and then — because a directory can lie — each entry is inflated with its declared size as a hard
 * output cap, so no entry can produce more than it declared. Pure: no I/O.
 */

export interface ZipLimits {
  /** Entries in the archive (a workbook has a few dozen). */
  maxEntries: number;
  /** Sum of the declared uncompressed sizes. */
  maxTotalUncompressed: number;
  /** Largest declared uncompressed size of one entry. */
  maxEntryUncompressed: number;
  /** Largest uncompressed / compressed ratio of an entry bigger than 1 MB uncompressed. */
  maxRatio: number;
}

/**
 * Generous for the agencies' tables (a 5,000-row catalogue is a few MB of sheet XML at ratios near
 * 10), and a bound on what the reader holds: the parts it reads are inflated whole (rows are then
 * parsed one at a time, see xlsx-rows.ts).
 */
export const SHEET_ZIP_LIMITS: ZipLimits = {
  maxEntries: 500,
  maxTotalUncompressed: 32 * 1024 * 1024,
  maxEntryUncompressed: 16 * 1024 * 1024,
  maxRatio: 100,
};

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const ZIP64_MARK = 0xffffffff;

/**
 * Null when the archive's directory is within `limits`; otherwise why not (Chinese, with an
 * English gloss). A directory that cannot be read is refused too: exceljs would fail on it anyway.
 */
export function zipBoundsProblem(data: Buffer, limits: ZipLimits = SHEET_ZIP_LIMITS): string | null {
  let eocd = -1;
  for (let p = data.length - 22; p >= Math.max(0, data.length - 22 - 0xffff); p--) {
    if (data.readUInt32LE(p) === EOCD) {
      eocd = p;
      break;
    }
  }
  if (eocd < 0) return '文件不是完整的 XLSX（zip）文件 (no zip directory found)';
  const entries = data.readUInt16LE(eocd + 10);
  const dirSize = data.readUInt32LE(eocd + 12);
  const dirOffset = data.readUInt32LE(eocd + 16);
  if (entries === 0xffff || dirOffset === ZIP64_MARK) return '不支持 ZIP64 格式的文件 (ZIP64 archives are not accepted)';
  if (entries > limits.maxEntries) return `文件包含 ${entries} 个压缩条目，超过上限 ${limits.maxEntries} (too many zip entries)`;
  if (dirOffset + dirSize > data.length) return '文件的 zip 目录已损坏 (damaged zip directory)';
  let total = 0;
  let p = dirOffset;
  for (let i = 0; i < entries; i++) {
    if (p + 46 > data.length || data.readUInt32LE(p) !== CENTRAL) return '文件的 zip 目录已损坏 (damaged zip directory)';
    const compressed = data.readUInt32LE(p + 20);
    const uncompressed = data.readUInt32LE(p + 24);
    if (compressed === ZIP64_MARK || uncompressed === ZIP64_MARK) return '不支持 ZIP64 格式的文件 (ZIP64 archives are not accepted)';
    if (uncompressed > limits.maxEntryUncompressed) {
      return `文件中有条目解压后 ${Math.round(uncompressed / 1048576)} MB，超过上限 (an entry inflates beyond the limit)`;
    }
    if (uncompressed > 1024 * 1024 && uncompressed > Math.max(compressed, 1) * limits.maxRatio) {
      return '文件压缩比异常，疑似压缩炸弹 (suspicious compression ratio)';
    }
    total += uncompressed;
    if (total > limits.maxTotalUncompressed) return `文件解压后超过 ${Math.round(limits.maxTotalUncompressed / 1048576)} MB (inflates beyond the limit)`;
    const lie = entryExceedsDeclared(data, data.readUInt32LE(p + 42), data.readUInt16LE(p + 10), compressed, uncompressed);
    if (lie) return lie;
    p += 46 + data.readUInt16LE(p + 28) + data.readUInt16LE(p + 30) + data.readUInt16LE(p + 32);
  }
  return null;
}

/** Whether an entry's data inflates beyond its declared size (inflation stops at the cap). */
function entryExceedsDeclared(data: Buffer, local: number, method: number, compressed: number, uncompressed: number): string | null {
  if (local + 30 > data.length || data.readUInt32LE(local) !== 0x04034b50) return '文件的 zip 条目已损坏 (damaged zip entry)';
  const start = local + 30 + data.readUInt16LE(local + 26) + data.readUInt16LE(local + 28);
  if (start + compressed > data.length) return '文件的 zip 条目已损坏 (damaged zip entry)';
  if (method === 0) return compressed === uncompressed ? null : '文件的 zip 条目大小不符 (zip entry size mismatch)';
  if (method !== 8) return '文件使用了不支持的压缩方式 (unsupported zip compression method)';
  try {
    const out = inflateRawSync(data.subarray(start, start + compressed), { maxOutputLength: Math.max(uncompressed, 1) });
    return out.length === uncompressed ? null : '文件的 zip 条目大小不符 (zip entry size mismatch)';
  } catch {
    // Output beyond the cap (ERR_BUFFER_TOO_LARGE) or data that is not deflate.
    return '文件的 zip 条目解压后大小与声明不符，疑似压缩炸弹 (a zip entry inflates beyond its declared size)';
  }
}

/** One entry of an archive, located from its central-directory record. */
export interface ZipEntry {
  method: number;
  compressed: number;
  uncompressed: number;
  /** Where the entry's (compressed) data starts, past its local header. */
  dataStart: number;
}

/**
 * The archive's entries by name (a leading `/` dropped, as exceljs does), for an archive that
 * {@link zipBoundsProblem} has accepted: the directory has been walked and every entry checked
 * against its declared size, so nothing here needs to be defensive again. A later entry of the
 * same name replaces an earlier one.
 */
export function zipEntries(data: Buffer): Map<string, ZipEntry> {
  const entries = new Map<string, ZipEntry>();
  let eocd = data.length - 22;
  while (eocd > 0 && data.readUInt32LE(eocd) !== EOCD) eocd -= 1;
  const count = data.readUInt16LE(eocd + 10);
  let p = data.readUInt32LE(eocd + 16);
  for (let i = 0; i < count; i++) {
    const nameLength = data.readUInt16LE(p + 28);
    const name = data.toString('utf8', p + 46, p + 46 + nameLength).replace(/^\//, '');
    const local = data.readUInt32LE(p + 42);
    entries.set(name, {
      method: data.readUInt16LE(p + 10),
      compressed: data.readUInt32LE(p + 20),
      uncompressed: data.readUInt32LE(p + 24),
      dataStart: local + 30 + data.readUInt16LE(local + 26) + data.readUInt16LE(local + 28),
    });
    p += 46 + nameLength + data.readUInt16LE(p + 30) + data.readUInt16LE(p + 32);
  }
  return entries;
}

/** An entry's bytes, inflated with its declared size as the output cap (see {@link zipBoundsProblem}). */
export function inflateZipEntry(data: Buffer, entry: ZipEntry): Buffer {
  const raw = data.subarray(entry.dataStart, entry.dataStart + entry.compressed);
  if (entry.method === 0) return raw;
  return inflateRawSync(raw, { maxOutputLength: Math.max(entry.uncompressed, 1) });
}
