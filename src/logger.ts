import pino from 'pino';

/** JSON logs on stdout; request-scoped children carry `reqId`. */
export const rootLogger = pino({
  level: process.env.LOG_LEVEL || 'info',
  base: { service: 'openness-backend' },
  timestamp: pino.stdTimeFunctions.isoTime,
  redact: { paths: ['req.headers.authorization', '*.password', '*.token'], remove: true },
});

export type Logger = pino.Logger;
