/**
 * Feature worker (worker_threads entry; see scan-parallel.ts): receives the market context once, then symbols' bars
 * and stored rows, and answers each with the feature rows the scan needs (symbolFeatureRows), values transferred.
 */
import { parentPort } from 'node:worker_threads';
import type { FeatureContext } from '@quant/features';
import { symbolFeatureRows } from './scan-features.js';
import type { WorkerReply, WorkerRequest } from './scan-parallel.js';

let context: FeatureContext = {};

parentPort?.on('message', (request: WorkerRequest) => {
  if (request.type === 'context') {
    context = request.context;
    return;
  }
  let reply: WorkerReply;
  try {
    const rows = symbolFeatureRows(request.bars, request.stored, { ...context, sector: request.sector }, { windowRows: request.windowRows, storedRows: request.storedRows });
    reply = { type: 'rows', id: request.id, rows };
  } catch (error) {
    reply = { type: 'error', id: request.id, message: error instanceof Error ? error.message : String(error) };
  }
  const transfer: ArrayBuffer[] = [];
  if (reply.type === 'rows') {
    transfer.push(reply.rows.values.buffer as ArrayBuffer, reply.rows.dates.buffer as ArrayBuffer);
    if (reply.rows.block !== null) transfer.push(reply.rows.block.values.buffer as ArrayBuffer, reply.rows.block.dates.buffer as ArrayBuffer);
  }
  parentPort!.postMessage(reply, transfer);
});
