// The workspace in a real browser (Debian's Chromium driven by playwright-core), run by WorkspaceBrowserTests: the
// inbox, an alert opened from the link in its MailDev email (chart drawn), acknowledgement with a note, the patient page
// (charts drawn by Chart.js); screenshots at desktop (1280) and phone (390) width. Prints one JSON line; exits 1 on failure.
import { chromium } from "playwright-core";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";

const { WORKSPACE_URL, MAILDEV_URL, ALERT_ID, SHOTS, CHROMIUM = "/usr/bin/chromium" } = process.env;
const started = Date.now();
const check = (ok, what) => { if (!ok) { throw new Error(what); } };
// Progress on stderr, so a run that the test has to stop still says how far it got and how long each step took.
const step = what => process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${what}\n`);
mkdirSync(SHOTS, { recursive: true });
rmSync(join(SHOTS, "failure.png"), { force: true });

step("launching Chromium");
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  timeout: 120_000, // a first start on a loaded CI machine (profile, font cache) can take a while
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--font-render-hinting=none"],
});
const errors = [];
let page;
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-GB", timezoneId: "Europe/Rome" });
  page = await context.newPage();
  // CI runs four test assemblies at once on two cores: Chromium took 34 s to start there and the first page load more
  // than 10 s. A page that never loads still fails, only later.
  page.setDefaultTimeout(15_000);
  page.setDefaultNavigationTimeout(45_000);
  page.on("pageerror", e => errors.push(e.message));
  page.on("console", m => { if (m.type() === "error") { errors.push(m.text()); } });
  page.on("response", r => { if (r.status() >= 400) { errors.push(`${r.status()} ${new URL(r.url()).pathname}`); } });

  // Both widths of the page as it stands; charts redraw on resize, so give them a frame.
  const shoot = async name => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.waitForTimeout(150);
    await page.screenshot({ path: join(SHOTS, `${name}-desktop.png`), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    // Let the layout settle (charts resize on a later frame, later still on a loaded machine), then measure it.
    await page.waitForFunction(() => document.documentElement.scrollWidth - document.documentElement.clientWidth <= 1,
      null, { timeout: 5_000 }).catch(() => {});
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    check(overflow <= 1, `${name} scrolls sideways on a phone by ${overflow} px`);
    await page.screenshot({ path: join(SHOTS, `${name}-phone.png`), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
  };

  step("inbox");
  // Inbox: open alerts, most severe first; the skip link is the first thing the keyboard reaches.
  await page.goto(new URL("/app/", WORKSPACE_URL).href);
  await page.waitForSelector("tbody tr");
  check((await page.textContent("tbody tr .sev")) === "critical", "the inbox does not start with the critical alert");
  check((await page.textContent("#who")).includes("development identity"), "the development identity is not labelled");
  await shoot("inbox");
  await page.keyboard.press("Tab");
  check(await page.evaluate(() => document.activeElement?.classList.contains("skip")), "Tab does not reach the skip link first");

  // The alert's email, as MailDev received it: its link opens the alert page (no patient id in it).
  step("alert email");
  const mails = await (await fetch(new URL("/api/email", MAILDEV_URL), { signal: AbortSignal.timeout(10_000) })).json();
  const mail = mails.find(m => m.html?.includes(`/app/alerts/${ALERT_ID}`) && !m.subject.includes("escalated"));
  check(mail, `no email links /app/alerts/${ALERT_ID}`);
  const href = mail.html.match(/href="([^"]*\/app\/alerts\/[^"]+)"/)[1].replaceAll("&amp;", "&");
  const link = new URL(href);
  check(link.pathname === `/app/alerts/${ALERT_ID}` && !link.search, `the email links ${href}`);
  check(link.origin === new URL(WORKSPACE_URL).origin, `the email links ${href}, not the workspace at ${WORKSPACE_URL}`);
  await page.goto(link.href);
  await page.waitForSelector("h1 .sev");
  await page.waitForSelector("#alert-chart[data-drawn=true] canvas");
  check((await page.textContent("#status")) === "open", "the alert is not open");
  check((await page.textContent("#escalations") ?? "").includes("Escalated to on-call once"), "the escalation is not shown");
  await shoot("alert");

  step("acknowledge");
  // Acknowledge with a note: the state changes on the page, with who and when.
  await page.fill("#note", "Seen; marrow repeated, discussed with the CAR-T team.");
  await page.click("#ack-form button[type=submit]");
  await page.waitForFunction(() => document.getElementById("status")?.textContent === "acknowledged");
  const acked = await page.textContent("#ack-done");
  check(acked.includes("development identity") || acked.includes("by "), "no acknowledger shown");
  check(acked.includes("marrow repeated"), "the note is not shown");
  check(!/\d{4}-\d{2}-\d{2}T/.test(acked), "the acknowledgement time is not formatted for people");
  await page.reload();
  await page.waitForFunction(() => document.getElementById("status")?.textContent === "acknowledged");

  step("patient page");
  // The patient page, from the alert page: every chart drawn.
  await page.click("text=Patient timeline");
  await page.waitForSelector(".panels[data-drawn=true]");
  const panels = await page.$$eval("canvas", cs => cs.map(c => c.width > 0 && c.height > 0).filter(Boolean).length);
  check(panels >= 1, "no chart was drawn");
  check(await page.isVisible(".legend"), "the chart has no legend");
  await shoot("patient");

  step("reference case");
  // The reference case (PT-0001): a year of follow-up with treatment events, censored MRD and IgG replacement.
  await page.goto(new URL("/app/patients/PT-0001", WORKSPACE_URL).href);
  await page.waitForSelector(".panels[data-drawn=true]");
  check(await page.$$eval(".events li", li => li.length) > 0, "PT-0001's treatment events are not listed");
  await shoot("patient-reference");

  check(errors.length === 0, "the page logged errors: " + errors.join(" | "));
  console.log(JSON.stringify({ ok: true, panels, seconds: (Date.now() - started) / 1000 }));
} catch (e) {
  const main = await page?.textContent("main").catch(() => null);
  await page?.screenshot({ path: join(SHOTS, "failure.png"), fullPage: true }).catch(() => {});
  console.log(JSON.stringify({ ok: false, error: e.message, errors, main, seconds: (Date.now() - started) / 1000 }));
  process.exitCode = 1;
} finally {
  step("closing Chromium");
  await Promise.race([browser.close(), new Promise(resolve => setTimeout(resolve, 10_000).unref())]);
}
