package io.hishel.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The live page in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}
 * packages, which {@code .ci/run} installs): a person pressing the buttons sees the hit and miss
 * counts move and the decisions listed with their reasons. Without the packages the test is
 * skipped with a message saying so, except in CI ({@code HISHEL_REQUIRE_BROWSER=1}), where it fails.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "sample.slowness=200ms",
        "hishel.storage.type=memory"})
class LivePageBrowserTest {

    static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");
    static final File CHROMIUM = new File("/usr/bin/chromium");

    @LocalServerPort
    int port;

    WebDriver browser;
    WebDriverWait wait;

    @BeforeEach
    void openBrowser() {
        boolean installed = CHROMEDRIVER.canExecute() && CHROMIUM.canExecute();
        if (!installed && "1".equals(System.getenv("HISHEL_REQUIRE_BROWSER"))) {
            throw new IllegalStateException("HISHEL_REQUIRE_BROWSER=1 but " + CHROMIUM + " or " + CHROMEDRIVER
                    + " is missing: install Debian's chromium and chromium-driver packages");
        }
        Assumptions.assumeTrue(installed, "SKIPPED the browser test of the live page: " + CHROMIUM + " or "
                + CHROMEDRIVER + " is missing (apt-get install chromium chromium-driver)");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER).build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(15));
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void pressingAButtonTwiceShowsAMissThenAHitWithItsReason() {
        openPageWithAnEmptyCache();
        int hits = counter("hits");
        int misses = counter("misses");

        browser.findElement(By.id("slow")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("last"), "X-Hishel-From-Cache: false"));
        browser.findElement(By.id("slow")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("last"), "X-Hishel-From-Cache: true"));

        wait.until(ExpectedConditions.textToBe(By.id("hits"), String.valueOf(hits + 1)));
        assertThat(counter("misses")).isEqualTo(misses + 1);
        // The page rebuilds the table every second: read the two newest rows in one go, again if it changed under us.
        String[] rows = wait.ignoring(StaleElementReferenceException.class).until(driver -> {
            List<WebElement> found = driver.findElements(By.cssSelector("#decisions tr"));
            if (found.size() < 2 || !found.get(0).getText().contains("yes")) {
                return null;
            }
            return new String[] {found.get(0).getText(), found.get(0).getAttribute("class"), found.get(1).getText()};
        });
        String newest = rows[0];
        assertThat(newest).contains("GET /slow", "yes", "fresh", "Hishel; hit");
        assertThat(rows[1]).isEqualTo("hit");
        String older = rows[2];
        assertThat(older).contains("GET /slow", "no", "stored");
    }

    @Test
    void thePurgeButtonEmptiesTheCache() {
        openPageWithAnEmptyCache();
        browser.findElement(By.id("server-only")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("last"), "X-Hishel-From-Cache: false"));
        browser.findElement(By.id("server-only")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("last"), "X-Hishel-From-Cache: true"));

        browser.findElement(By.id("purge")).click();
        wait.until(ExpectedConditions.textToBe(By.id("last"), "Purged 1 entries."));
        browser.findElement(By.id("server-only")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("last"), "X-Hishel-From-Cache: false"));
    }

    /** Both tests share one application; each starts from an empty cache and reads counts relative to the start. */
    private void openPageWithAnEmptyCache() {
        browser.get("http://localhost:" + port + "/");
        wait.until(ExpectedConditions.textToBe(By.id("policy"), "SpecificationPolicy"));
        browser.findElement(By.id("purge")).click();
        wait.until(ExpectedConditions.textMatches(By.id("last"), java.util.regex.Pattern.compile("Purged \\d+ entries\\.")));
    }

    private int counter(String id) {
        return Integer.parseInt(browser.findElement(By.id(id)).getText());
    }
}
