/**
 * The one contract of the HTTP API: what each route takes and answers (Zod schemas), and
 * the problem codes. The server parses requests with it and generates the OpenAPI 3.1
 * document from it; the web app imports its types from it, type-only. It uses nothing
 * but zod and the core.
 */
export * from './strings.js';
export * from './inputs.js';
export * from './outputs.js';
export * from './problems.js';
export * from './intake.js';
