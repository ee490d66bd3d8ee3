package io.turnpike.node.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser: Debian's {@code chromium}, headless at a fixed window size, driven through Debian's
 * {@code chromedriver} (both found on the PATH or in /usr/bin; {@code ./turnpike test} installs them when missing).
 * Nothing is downloaded: Selenium is given both executables, so its own driver manager never runs. Every wait is
 * Selenium's explicit wait for a condition, bounded by {@link #DEADLINE}; nothing sleeps.
 */
public final class DashboardBrowser implements AutoCloseable {

    /** How long any condition may take to hold: generous, since the machine may be busy; reached only on failure. */
    public static final Duration DEADLINE = Duration.ofSeconds(30);
    public static final Dimension DESKTOP = new Dimension(1280, 900);
    public static final Dimension PHONE = new Dimension(390, 844);

    private final ChromeDriver driver;
    private final WebDriverWait wait;

    private DashboardBrowser(ChromeDriver driver) {
        this.driver = driver;
        // The page refreshes on its own: an element found a moment ago may have been replaced since.
        this.wait = (WebDriverWait) new WebDriverWait(driver, DEADLINE).ignoring(StaleElementReferenceException.class);
    }

    /** A headless chromium whose page is {@code size} (the window is sized so that its viewport is). */
    public static DashboardBrowser start(Dimension size) {
        ChromeOptions options = new ChromeOptions()
                .setBinary(executable("chromium").toFile())
                .addArguments("--headless=new", "--window-size=" + size.width + "," + size.height,
                        "--force-device-scale-factor=1", "--hide-scrollbars", "--lang=en-US",
                        // Tests run as root in CI, where chromium's sandbox cannot start; /dev/shm may be tiny.
                        "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run",
                        "--disable-extensions", "--disable-background-networking");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(executable("chromedriver").toFile()).usingAnyFreePort().build();
        DashboardBrowser browser = new DashboardBrowser(new ChromeDriver(service, options));
        browser.resize(size);
        return browser;
    }

    /** Makes the page (not the window) {@code size}, as a phone or a laptop would show it. */
    public void resize(Dimension size) {
        driver.manage().window().setSize(size);
        Long innerWidth = (Long) driver.executeScript("return window.innerWidth");
        Long innerHeight = (Long) driver.executeScript("return window.innerHeight");
        driver.manage().window().setSize(new Dimension(2 * size.width - innerWidth.intValue(),
                2 * size.height - innerHeight.intValue()));
    }

    static Path executable(String name) {
        Optional<Path> found = Stream.concat(
                        Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                                .filter(dir -> !dir.isEmpty()).map(dir -> Path.of(dir, name)),
                        Stream.of(Path.of("/usr/bin", name)))
                .filter(Files::isExecutable).findFirst();
        return found.orElseThrow(() -> new IllegalStateException(name + " is not installed: the dashboard's browser tests "
                + "drive Debian's chromium through its chromedriver. './turnpike test' installs them, or run "
                + "'apt-get install chromium chromium-driver'."));
    }

    public WebDriver driver() {
        return driver;
    }

    /** Runs {@code javascript} in the page and returns what it returns. */
    public Object script(String javascript) {
        return driver.executeScript(javascript);
    }

    public void open(String url) {
        driver.get(url);
    }

    /** Waits until {@code condition} holds and returns what it returned. */
    public <T> T await(Function<WebDriver, T> condition) {
        return wait.until(condition);
    }

    /** The element, once it is shown. */
    public WebElement visible(By by) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    /** Waits until the element's text contains {@code text}, then returns the whole text. */
    public String awaitText(By by, String text) {
        wait.until(ExpectedConditions.textToBePresentInElementLocated(by, text));
        return driver.findElement(by).getText();
    }

    /** Clicks the element once it can be clicked, brought to the middle of the page, clear of the sticky bar. */
    public void click(By by) {
        wait.until(d -> {
            WebElement element = ExpectedConditions.elementToBeClickable(by).apply(d);
            if (element == null) {
                return false;
            }
            driver.executeScript("arguments[0].scrollIntoView({block: 'center'})", element);
            element.click();
            return true;
        });
    }

    public void type(By by, String text) {
        WebElement input = visible(by);
        input.clear();
        input.sendKeys(text);
    }

    public List<WebElement> all(By by) {
        return driver.findElements(by);
    }

    /** A PNG of one element of the page (a section, a dialog), or of the whole viewport with {@code null}. */
    public void screenshot(By by, Path file) {
        try {
            Files.createDirectories(file.getParent());
            byte[] png;
            if (by == null) {
                png = driver.getScreenshotAs(OutputType.BYTES);
            } else {
                WebElement element = driver.findElement(by);
                // Whole, in the viewport, clear of the sticky bar (the page's scroll-padding).
                driver.executeScript("arguments[0].scrollIntoView({block: 'start'})", element);
                png = element.getScreenshotAs(OutputType.BYTES);
            }
            Files.write(file, png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
