/** pulse's version, as `pulse --version` prints it and backups record it (test/core/version.test.ts keeps it equal to package.json's). */
export const PULSE_VERSION = '0.1.0';
