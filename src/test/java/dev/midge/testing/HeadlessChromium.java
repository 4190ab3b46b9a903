package dev.midge.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's chromium, headless, driven by its chromedriver, with a profile of its own that is deleted on close;
 * screenshots of the dashboard go to {@link #SCREENSHOTS}.
 */
public final class HeadlessChromium implements AutoCloseable {

    public static final Path SCREENSHOTS = Path.of("target", "dashboard-screenshots");
    public static final Duration WAIT = Duration.ofSeconds(30);
    private static final File CHROMIUM = new File("/usr/bin/chromium");
    private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");

    private final Path profile;
    private final WebDriver driver;

    public HeadlessChromium() throws IOException {
        assertTrue(CHROMIUM.canExecute() && CHROMEDRIVER.canExecute(),
                "the browser tests need Debian's chromium and chromium-driver (apt-get install chromium "
                        + "chromium-driver; .ci/run installs them)");
        profile = Files.createTempDirectory("midge-dashboard-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1000", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER)
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        Files.createDirectories(SCREENSHOTS);
    }

    public WebDriver driver() {
        return driver;
    }

    /** The first element found, once there is one. */
    public WebElement waitFor(By by) {
        return new WebDriverWait(driver, WAIT).until(d -> d.findElements(by).stream().findFirst().orElse(null));
    }

    /** Waits until the dashboard has shown the page of that name. */
    public void page(String name) {
        waitFor(By.cssSelector("#view[data-page='" + name + "']"));
    }

    /** Saves what the browser shows as {@code <name>.png} under {@link #SCREENSHOTS}, and returns its path. */
    public Path screenshot(String name) throws IOException {
        Path file = SCREENSHOTS.resolve(name + ".png");
        Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        return file;
    }

    @Override
    public void close() throws IOException {
        driver.quit();
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }
}
