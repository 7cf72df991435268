/** Names of the files a pulse home holds at its top level (owned here so every layer can name them). */

/** The home's configuration file. */
export const CONFIG_FILE = 'pulse.config.json';
