/**
 * The report in a real headless Chromium (Debian's package, driven by playwright-core): charts
 * are laid out and drawn, no script errors, and not a single network request. Needs
 * `apt-get install -y chromium`; fails loudly without it. DW_UPDATE_DOCS=1 also refreshes
 * docs/report-example.png.
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { copyFile, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderCheckReport } from '../../src/report/check.js';
import { renderReport } from '../../src/report/render.js';
import { sampleReportData } from './sample-data.js';

/** The DOM types this file needs inside page callbacks (the project compiles without lib.dom). */
interface Graphic {
  getBBox(): { width: number; height: number };
}

const CHROMIUM = process.env.DW_CHROMIUM ?? '/usr/bin/chromium';
let browser: Browser;
let dir: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install it with 'apt-get update && apt-get install -y chromium' (or set DW_CHROMIUM)`);
  }
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  dir = await mkdtemp(join(tmpdir(), 'dw-report-browser-'));
}, 60_000);
afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface Loaded {
  page: Page;
  url: string;
  requests: string[];
  problems: string[];
}

/** Opens an HTML file, recording every request and every console error/warning. */
async function open(name: string, html: string): Promise<Loaded> {
  const file = join(dir, name);
  await writeFile(file, html);
  const url = pathToFileURL(file).href;
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 }, deviceScaleFactor: 1 });
  const requests: string[] = [];
  const problems: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await page.goto(url, { waitUntil: 'load' });
  return { page, url, requests, problems };
}

describe('HTML drift report in Chromium', () => {
  it('draws every chart of every feature, runs its script without errors, and requests nothing', async () => {
    const { page, url, requests, problems } = await open('report.html', renderReport(sampleReportData()));
    expect(problems).toEqual([]);
    expect(requests).toEqual([url]);

    const sections = await page.$$eval('section.feature', (els) =>
      els.map((s) => {
        const box = (sel: string): number[] => [...s.querySelectorAll(sel)].map((e) => (e as unknown as Graphic).getBBox().width);
        return {
          id: s.id,
          svgs: s.querySelectorAll('svg.chart').length,
          baselineBars: box('rect.bar-baseline').filter((w) => w > 0).length,
          currentBars: box('rect.bar-current').filter((w) => w > 0).length,
          lines: box('path.series-line').filter((w) => w > 100).length,
          thresholds: s.querySelectorAll('line.threshold').length,
          rendered: [...s.querySelectorAll('svg.chart')].every((svg) => svg.getBoundingClientRect().width > 300 && svg.getBoundingClientRect().height > 100),
        };
      }),
    );
    // Worst status first, then the latest one: device_score drifted earlier but is ok now.
    expect(sections.map((s) => s.id)).toEqual(['f-amount', 'f-merchant_category', 'f-device_score', 'f-country', 'f-customer_age', 'f-hour_of_day']);
    for (const s of sections) {
      expect(s.rendered, s.id).toBe(true);
      expect(s.baselineBars, s.id).toBeGreaterThanOrEqual(6);
      expect(s.currentBars, s.id).toBeGreaterThanOrEqual(6);
      expect(s.lines, s.id).toBeGreaterThanOrEqual(3);
      expect(s.thresholds, s.id).toBeGreaterThanOrEqual(3);
    }
    expect(sections.find((s) => s.id === 'f-amount')!.svgs).toBe(6);

    const timeline = await page.$eval('svg.timeline', (svg) => ({
      bars: [...svg.querySelectorAll('rect.alert-bar')].map((r) => (r as unknown as Graphic).getBBox().width),
      fired: svg.querySelectorAll('path.alert-fired').length,
      resolved: svg.querySelectorAll('circle.alert-resolved').length,
    }));
    expect(timeline.bars).toHaveLength(3);
    expect(timeline.bars.every((w) => w > 20)).toBe(true);
    expect(timeline).toMatchObject({ fired: 4, resolved: 1 });

    // The inline script: "drifted only" hides the stable features.
    const visible = (): Promise<string[]> => page.$$eval('section.feature', (els) => els.filter((e) => (e as unknown as { offsetParent: unknown }).offsetParent !== null).map((e) => e.id));
    expect(await visible()).toHaveLength(6);
    await page.click('button[data-filter="drifted"]');
    expect(await visible()).toEqual(['f-amount', 'f-merchant_category', 'f-device_score']);
    await page.click('button[data-filter="all"]');
    expect(await visible()).toHaveLength(6);

    const shot = join(dir, 'report.png');
    const amount = await page.$eval('#f-amount', (e) => e.getBoundingClientRect().bottom + (globalThis as unknown as { scrollY: number }).scrollY);
    await page.screenshot({ path: shot, fullPage: true, clip: { x: 0, y: 0, width: 1200, height: Math.ceil(amount + 12) } });
    expect((await stat(shot)).size).toBeGreaterThan(50_000);
    if (process.env.DW_UPDATE_DOCS === '1') await copyFile(shot, resolve('docs/report-example.png'));
    await page.close();
  });

  it('blocks network access even if content tried it (Content-Security-Policy)', async () => {
    const hits: string[] = [];
    const server = createServer((req, res) => {
      hits.push(req.url ?? '');
      res.end('x');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const html = renderReport(sampleReportData()).replace(
        '</main>',
        `<img src="${base}/beacon.png"><script src="${base}/x.js"></script><link rel="stylesheet" href="${base}/x.css"></main>`,
      );
      const { page, problems } = await open('hostile.html', html);
      await page.waitForTimeout(300);
      expect(hits).toEqual([]);
      expect(problems.filter((p) => p.includes('Content Security Policy')).length).toBeGreaterThanOrEqual(2);
      await page.close();
    } finally {
      server.close();
    }
  });

  it('renders the batch check report', async () => {
    const sample = sampleReportData();
    const amount = sample.features[0]!;
    const html = renderCheckReport({
      baseline: { id: 'b-1', source: 'train.parquet' },
      current: 'today.parquet',
      features: [
        {
          feature: 'amount',
          type: 'numeric',
          n_baseline: 1_000_000,
          n_current: 10_412,
          null_rate_baseline: 0.001,
          null_rate_current: 0.002,
          metrics: { psi: 0.38, ks: { statistic: 0.22, pvalue: 1e-80, statisticLocation: 70, statisticSign: 1, method: 'asymp' }, jensen_shannon: 0.19, wasserstein: 14.2, wasserstein_normed: 0.23 },
          status: 'critical',
          histograms: { baseline: amount.baseline!, current: amount.current! },
        },
      ],
    });
    const { page, url, requests, problems } = await open('check.html', html);
    expect(problems).toEqual([]);
    expect(requests).toEqual([url]);
    const bars = await page.$$eval('rect.bar-current', (els) => els.filter((e) => (e as unknown as Graphic).getBBox().height > 0).length);
    expect(bars).toBe(10);
    expect(await page.$$eval('.metrics-table tbody tr', (rows) => rows.length)).toBe(7);
    await page.close();
  });
});
