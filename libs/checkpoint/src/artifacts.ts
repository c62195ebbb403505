/**
 * Artifact files: their names and their verification. A file's name contains a hash of its key and a prefix of the
 * SHA-256 of its content, so a new version of an artifact is written beside the old one: the state switches from the
 * old file to the new one in a single atomic rename of `state.json`, and a crash at any moment leaves the state
 * pointing at a complete file whose hash matches.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from './json.js';
import type { ArtifactRecord } from './state.js';

/** The folder of a checkpoint that holds its artifacts. */
export const ARTIFACTS_FOLDER = 'artifacts';

/** Why an artifact listed in the state cannot be trusted. */
export interface ArtifactProblem {
  readonly key: string;
  readonly fileName: string;
  /** `missing`: no file; `size`: the file has another length; `sha256`: same length, other content. */
  readonly kind: 'missing' | 'size' | 'sha256';
  readonly message: string;
}

/** The file name for a version of an artifact: `<readable key>.<key hash>.<content hash>.<extension>`. */
export function artifactFileName(key: string, sha256: string, extension: string): string {
  const readable = key.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 80);
  return `${readable}.${sha256Hex(key).slice(0, 8)}.${sha256.slice(0, 16)}.${extension}`;
}

/** Reads an artifact's file and compares its length and SHA-256 with the record. */
export function inspectArtifact(artifactsDirectory: string, record: ArtifactRecord): { problem: ArtifactProblem | null; content: Buffer | null } {
  const path = join(artifactsDirectory, record.fileName);
  const where = `artifact "${record.key}" (${ARTIFACTS_FOLDER}/${record.fileName})`;
  let content: Buffer;
  try {
    content = readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return { problem: { key: record.key, fileName: record.fileName, kind: 'missing', message: `${where} is missing` }, content: null };
  }
  if (content.length !== record.bytes) {
    const message = `${where} has ${content.length} bytes, the checkpoint recorded ${record.bytes}`;
    return { problem: { key: record.key, fileName: record.fileName, kind: 'size', message }, content };
  }
  const actual = sha256Hex(content);
  if (actual !== record.sha256) {
    const message = `${where} has SHA-256 ${actual.slice(0, 16)}..., the checkpoint recorded ${record.sha256.slice(0, 16)}...`;
    return { problem: { key: record.key, fileName: record.fileName, kind: 'sha256', message }, content };
  }
  return { problem: null, content };
}
