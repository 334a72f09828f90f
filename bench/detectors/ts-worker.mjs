// A .ts file cannot be a Worker's entry on Node 20: in worker threads only tsx's require hook is
// live (as Piscina uses it), so this plain entry requires the TypeScript file through it.
import { createRequire } from 'node:module';
import { workerData } from 'node:worker_threads';
createRequire(import.meta.url)(workerData.entry);
