import { serve, launch, openPage, loadFile } from './harness.mjs';
const s = await serve(); const b = await launch();
try {
  const { page, problems } = await openPage(b, s.url);
  await loadFile(page, 'es-mateo-fernandez-ruiz-full');
  await page.$eval('#result', e => e.scrollIntoView());
  await page.screenshot({ path: '/tmp/es1.png' });
  await page.$eval('.hp-content', e => e.scrollIntoView());
  await page.screenshot({ path: '/tmp/es2.png' });
  await loadFile(page, 'tampered');
  await page.$eval('#result', e => e.scrollIntoView());
  await page.screenshot({ path: '/tmp/tampered.png' });
  const m = await openPage(b, s.url, { viewport: { width: 320, height: 700 } });
  await m.page.screenshot({ path: '/tmp/m0.png' });
  await loadFile(m.page, 'de-anna-schmidt-full');
  await m.page.$eval('#result', e => e.scrollIntoView());
  await m.page.screenshot({ path: '/tmp/m1.png' });
  await m.page.$eval('.hp-section', e => e.scrollIntoView());
  await m.page.screenshot({ path: '/tmp/m2.png' });
  console.log(problems, m.problems);
} finally { await b.close(); await s.close(); }
