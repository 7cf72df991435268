/** Options of `pulse serve`, declared once. */
import { z } from 'zod';
import { defineOptions, intText, plainText } from '../../core/option-schema.js';

/** The port of pulse's exporter (9464, as node's OpenTelemetry Prometheus exporter uses; no standard one exists). */
export const DEFAULT_SERVE_PORT = 9464;

/** `pulse serve`. */
export const SERVE_OPTIONS = defineOptions({
  port: { flags: '--port <n>', description: 'port to listen on (0 picks a free one; the bound address is printed on stderr)', schema: intText('--port', z.number().int().min(0).max(65_535), 'use a port number from 0 to 65535 (0 picks a free one)'), default: String(DEFAULT_SERVE_PORT) },
  host: { flags: '--host <address>', description: 'address to listen on; loopback unless you say otherwise (0.0.0.0 listens on every interface)', schema: plainText, default: '127.0.0.1' },
});
