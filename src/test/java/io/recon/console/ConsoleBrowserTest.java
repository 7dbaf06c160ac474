package io.recon.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.selenium.AxeBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.recon.data.DatasetSplit;
import io.recon.data.Table;
import io.recon.data.TabularReader;
import io.recon.imaging.GrayImage;
import io.recon.replay.FlowEventFactory;
import io.recon.testing.KafkaBrokerResource;
import io.recon.testing.KafkaTestClient;

/**
 * The web console in a real browser (the system's headless Chromium, through chromedriver), with the
 * scorer, the explainer and the console in one process on a real broker: a recorded attack flow and
 * an image unlike the image model's training class are produced to Kafka; both alerts must appear in
 * the live list within seconds, without a reload; the image alert's page must draw the image with
 * its heatmap; the flow alert's page must show its contributions and the explainer's sentence; the
 * filters, the models page and the dead letters must work; the browser must log no error. Screenshots
 * go to target/console-screenshots. Tagged {@code own-profile} (see {@code ReadPolicyTest}).
 *
 * <p>Needs {@code chromium} and {@code chromium-driver} (Debian; .ci/run installs them). Without them
 * it is skipped with a message, unless {@code RECON_REQUIRE_BROWSER=1} (as in CI), when it fails.
 */
@Tag("own-profile")
@QuarkusTest
@TestProfile(ConsoleBrowserTest.ScorerExplainerConsole.class)
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
class ConsoleBrowserTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration ARRIVAL = Duration.ofSeconds(30);
    private static final Path SHOTS = Path.of("target/console-screenshots");
    /** The admin key of the test profile (application.properties, %test). */
    private static final String ADMIN_KEY = "test-admin-key-0123456789";

    private static WebDriver browser;

    /** The scorer, the explainer and the console in one process. */
    public static class ScorerExplainerConsole implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("recon.roles", "scorer,explainer,console", "recon.console.rate-sample-seconds", "1");
        }
    }

    @TestHTTPResource("/console/")
    URL console;

    @BeforeAll
    static void startBrowser() throws Exception {
        File chromium = executable("RECON_CHROMIUM", "/usr/bin/chromium");
        File driver = executable("RECON_CHROMEDRIVER", "/usr/bin/chromedriver");
        String missing = chromium == null ? "chromium" : driver == null ? "chromedriver" : null;
        if (missing != null) {
            String message = "the console's browser test needs " + missing + " (Debian chromium, chromium-driver)";
            if ("1".equals(System.getenv("RECON_REQUIRE_BROWSER"))) {
                throw new IllegalStateException(message + ", and RECON_REQUIRE_BROWSER=1");
            }
            Assumptions.abort(message + "; skipped");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", "--window-size=1400,1000");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, java.util.logging.Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(driver)
                .usingAnyFreePort().build(), options);
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void alertsArriveLiveAndTheirPagesShowScoresExplanationsAndHeatmaps() throws Exception {
        browser.get(console + "#/alerts");
        WebDriverWait wait = new WebDriverWait(browser, ARRIVAL);
        // The live list redraws when an alert or explanation arrives, so a row found a moment ago can
        // be gone when it is read: every wait looks it up again.
        wait.ignoring(StaleElementReferenceException.class);
        wait.until(b -> b.findElement(By.id("connection")).getText().equals("Live"));
        assertAllControlsLabelled();

        String flowId;
        String imageId = "console-test-image";
        try (KafkaTestClient kafka = new KafkaTestClient(KafkaBrokerResource.bootstrapServers())) {
            Table flows = TabularReader.read(Path.of("tests/data/telemetry/flows.csv.gz"));
            FlowEventFactory events = new FlowEventFactory(MAPPER, flows, "console-test");
            int attack = heldOutAttack(flows);
            flowId = events.id(attack, 1);
            kafka.send("telemetry.events", flowId, events.event(attack, 1, System.currentTimeMillis()));
            kafka.send("imaging.events", imageId, imageEvent(imageId));
            kafka.send("telemetry.events", "console-test-broken", "{\"id\": \"console-test-broken\", ");
        }

        // Both alerts appear in the live list (pushed by server-sent events; the page is not reloaded).
        wait.until(b -> row(b, flowId) != null && row(b, imageId) != null);
        assertEquals("telemetry", wait.until(b -> row(b, flowId).getDomAttribute("data-stream")));
        assertEquals("imaging", wait.until(b -> row(b, imageId).getDomAttribute("data-stream")));
        wait.until(b -> row(b, flowId).getText().contains("where")); // the explainer's sentence arrived
        shot("alerts");
        assertAccessible("alerts");

        // Filter by stream: only the image alert is left.
        new Select(browser.findElement(By.id("filter-stream"))).selectByValue("imaging");
        wait.until(b -> row(b, flowId) == null);
        assertTrue(row(browser, imageId) != null);
        new Select(browser.findElement(By.id("filter-stream"))).selectByValue("");

        // Keyboard only: Tab reaches the flow alert's link and Enter opens its page.
        assertTrue(reachByTab("#/alerts/" + flowId), "Tab reaches the flow alert's link");
        new Actions(browser).sendKeys(Keys.ENTER).perform();
        wait.until(b -> b.findElement(By.id("alert-title")).getText().contains(flowId));
        browser.navigate().back();
        wait.until(b -> row(b, imageId) != null);

        // The image alert's page draws the image with its heatmap in colour.
        wait.until(b -> { // the live list may redraw under the click: a stale row is looked up again
            row(b, imageId).findElement(By.tagName("a")).click();
            return true;
        });
        wait.until(b -> "true".equals(b.findElement(By.id("overlay")).getDomAttribute("data-drawn")));
        Number redPixels = (Number) ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                "const c = document.getElementById('overlay').getContext('2d').getImageData(0, 0, 320, 320).data;"
                        + "let n = 0; for (let i = 0; i < c.length; i += 4) if (c[i] > c[i + 2] + 60) n++; return n;");
        assertTrue(redPixels.intValue() > 100, "the heatmap is drawn over the image: " + redPixels + " red pixels");
        assertTrue(browser.findElement(By.id("alert-detail")).getText().contains("imaging-vae-fashion-1"));
        shot("image-alert");
        assertAccessible("image alert");

        // The flow alert's page: scores against the threshold, contributions, the explanation.
        browser.get(console + "#/alerts/" + flowId);
        wait.until(b -> b.findElement(By.id("alert-detail")).getText().contains("What the VAE could not reconstruct"));
        String detail = browser.findElement(By.id("alert-detail")).getText();
        assertTrue(detail.contains("against threshold"), detail);
        assertTrue(detail.contains("Expected from the others"), "the explanation is shown: " + detail);
        assertTrue(detail.contains("telemetry-explainer"), detail);
        shot("flow-alert");
        assertAccessible("flow alert");

        // The loaded models, with thresholds and how they were calibrated.
        browser.findElement(By.cssSelector("nav a[data-view='models']")).click();
        wait.until(b -> b.findElements(By.cssSelector("article.model")).size() >= 3);
        String models = browser.findElement(By.id("model-list")).getText();
        assertTrue(models.contains("telemetry-vae") && models.contains("imaging-vae-ct"), models);
        assertTrue(models.contains("percentile"), "how each threshold was calibrated: " + models);
        // Drift, from the scorer: two events are too few to judge.
        wait.until(b -> b.findElement(By.cssSelector("[data-drift='telemetry-vae']")).getText().contains("not judged yet"));
        shot("models");
        assertAccessible("models");

        // Recalibrating is an admin action: refused without a key, and with the admin key refused
        // for its own reason (too few recent events), as the API says.
        WebElement telemetryModel = browser.findElement(By.cssSelector("article[aria-labelledby='model-telemetry-vae']"));
        telemetryModel.findElement(By.xpath(".//button[text()='Recalibrate']")).click();
        browser.switchTo().alert().accept();
        wait.until(b -> telemetryModel.findElement(By.cssSelector("[role='status']")).getText()
                .contains("an admin key is needed"));
        assertTrue(browser.findElement(By.id("key-form")).isDisplayed(), "the page asks for a key");
        browser.findElement(By.id("api-key")).sendKeys(ADMIN_KEY);
        browser.findElement(By.cssSelector("#key-form button")).click();
        // With a key the page loads the models again: wait for the new card, not the old one.
        wait.until(b -> {
            try {
                telemetryModel.isDisplayed();
                return false;
            } catch (StaleElementReferenceException replaced) {
                return true;
            }
        });
        WebElement again = browser.findElement(By.cssSelector("article[aria-labelledby='model-telemetry-vae']"));
        again.findElement(By.xpath(".//button[text()='Recalibrate']")).click();
        browser.switchTo().alert().accept();
        wait.ignoring(StaleElementReferenceException.class).until(b -> b.findElement(By.cssSelector(
                "article[aria-labelledby='model-telemetry-vae'] [role='status']")).getText().contains("too_few_events"));

        // The broken event is among the dead letters, with its reason.
        browser.findElement(By.cssSelector("nav a[data-view='dead-letters']")).click();
        wait.until(b -> b.findElement(By.id("dlq-table")).getText().contains("invalid_json"));
        assertTrue(browser.findElement(By.id("dlq-table")).getText().contains("console-test-broken"));
        shot("dead-letters");
        assertAccessible("dead letters");

        // Rates read from the topics' offsets: the two flow events sent (one scored, one dead-lettered).
        wait.until(b -> b.findElement(By.id("rate-list")).getText().matches("(?s).*telemetry events [0-9.]+/s \\(2\\).*"));

        // No JavaScript error, and no failed request but the two refused recalibrations asked for above.
        List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
                .filter(e -> !e.getMessage().matches(".*/models/telemetry-vae/recalibrate - Failed to load resource: "
                        + "the server responded with a status of (401|409) .*"))
                .toList();
        assertTrue(errors.isEmpty(), "no JavaScript errors: " + errors);
    }

    /**
     * The page as it is now passes axe-core's WCAG 2 A and AA rules (contrast, labels, names, roles,
     * landmarks); each violation is listed with the elements it was found on.
     */
    private static void assertAccessible(String page) {
        Results results = new AxeBuilder().withTags(List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa"))
                .analyze(browser);
        List<String> violations = results.getViolations().stream().map(r -> r.getId() + " (" + r.getImpact() + "): "
                + r.getHelp() + " at " + r.getNodes().stream().map(n -> String.valueOf(n.getTarget())).toList())
                .toList();
        assertEquals(List.of(), violations, "accessibility of the " + page + " page");
        assertFalse(results.getPasses().isEmpty(), "axe-core ran its rules on the " + page + " page");
    }

    /** Presses Tab until the focused element links to {@code href} (at most 200 times). */
    private static boolean reachByTab(String href) {
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("document.activeElement.blur()");
        Actions keyboard = new Actions(browser);
        for (int i = 0; i < 200; i++) {
            keyboard.sendKeys(Keys.TAB).perform();
            if (href.equals(browser.switchTo().activeElement().getDomAttribute("href"))) {
                return true;
            }
        }
        return false;
    }

    /** Every form control on the page is named by a label (screen readers read it out). */
    private static void assertAllControlsLabelled() {
        Object unlabelled = ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                "return [...document.querySelectorAll('input, select, textarea')]"
                        + ".filter(c => c.labels.length === 0 && !c.getAttribute('aria-label')).map(c => c.id);");
        assertEquals(List.of(), unlabelled);
    }

    private static WebElement row(WebDriver b, String eventId) {
        List<WebElement> rows = b.findElements(By.cssSelector("#alert-table tr[data-event-id='" + eventId + "']"));
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** A recorded Xmas-scan flow of the test split (never trained or calibrated on). */
    private static int heldOutAttack(Table flows) {
        for (int i = 0; i < flows.size(); i++) {
            String[] row = flows.rows().get(i);
            if ("nmap-xmas-scan".equals(row[flows.columnIndex("generator")])
                    && DatasetSplit.partOf(row[flows.columnIndex("id")], false) == DatasetSplit.Part.TEST) {
                return i;
            }
        }
        throw new IllegalStateException("no held-out Xmas-scan flow in the recording");
    }

    /** A 28x28 checkerboard with a bright square: nothing like the trousers the image model learnt. */
    private static String imageEvent(String id) {
        float[] pixels = new float[28 * 28];
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                pixels[y * 28 + x] = (x > 8 && x < 20 && y > 8 && y < 20) || (x / 4 + y / 4) % 2 == 0 ? 1f : 0f;
            }
        }
        byte[] png = GrayImage.fromPixels(28, 28, pixels, "").toPng();
        return MAPPER.createObjectNode().put("id", id).put("ts", System.currentTimeMillis())
                .put("source", "console-test").put("encoding", "png")
                .put("data", Base64.getEncoder().encodeToString(png)).toString();
    }

    private static void shot(String name) throws Exception {
        File png = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(png.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static File executable(String env, String fallback) {
        String path = System.getenv().getOrDefault(env, fallback);
        File f = new File(path);
        return f.canExecute() ? f : null;
    }
}
