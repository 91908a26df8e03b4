/**
 * Keeps webhook URLs, tokens and passwords out of logs, stored errors and thrown messages.
 * Two layers: the exact secrets we were configured with (and the parts of a URL that carry
 * the secret), and patterns for well-known token shapes in text we did not produce.
 */
export const REDACTED = '[REDACTED]';

const PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
  [/https?:\/\/hooks\.slack\.com\/[^\s"'<>]+/gi, REDACTED],
  [/\bxox[abposr]-[A-Za-z0-9-]+/g, REDACTED],
  [/\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}/g, REDACTED],
  [/\bgithub_pat_[A-Za-z0-9_]{20,}/g, REDACTED],
  [/\b(Bearer|Basic|token)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${REDACTED}`],
  [/\b(password|passwd|pass|token|secret|api[_-]?key)(["']?\s*[:=]\s*["']?)[^\s"'&,}]+/gi, `$1$2${REDACTED}`],
  // user:password@ in URLs
  [/(\/\/[^/\s:@]+:)[^@\s/]+@/g, `$1${REDACTED}@`],
];

export class Redactor {
  private readonly secrets = new Set<string>();

  constructor(secrets: Iterable<string | undefined | null> = []) {
    for (const s of secrets) this.add(s);
  }

  /** Registers a secret; for a URL also its path and long path segments (errors may show only those). */
  add(secret: string | undefined | null): this {
    if (secret === undefined || secret === null) return this;
    const s = secret.trim();
    if (s.length < 4) return this;
    this.secrets.add(s);
    try {
      const url = new URL(s);
      if (url.pathname.length > 1) this.secrets.add(url.pathname);
      for (const seg of url.pathname.split('/')) if (seg.length >= 8) this.secrets.add(seg);
      if (url.search.length > 1) this.secrets.add(url.search.slice(1));
      if (url.password) this.secrets.add(url.password);
    } catch {
      // not a URL
    }
    return this;
  }

  redact(text: string): string {
    let out = text;
    // Longest first, so a URL is replaced whole before its path would be.
    for (const s of [...this.secrets].sort((a, b) => b.length - a.length)) out = out.split(s).join(REDACTED);
    for (const [re, replacement] of PATTERNS) out = out.replace(re, replacement);
    return out;
  }
}
