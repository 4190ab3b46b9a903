package dev.midge.management;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import dev.midge.testing.HeadlessChromium;
import dev.midge.transport.MqttListener;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in Debian's headless chromium, against this broker with clients the test connects: each page's
 * numbers match the API, a client is disconnected and a retained message published from the pages, and a write
 * without credentials is refused. Screenshots of the pages go to target/dashboard-screenshots.
 */
@QuarkusTest
@TestProfile(OperationsEnabledProfile.class)
@Timeout(180)
class DashboardBrowserTest {

    private static final Duration WAIT = HeadlessChromium.WAIT;

    @Inject
    MqttListener listener;

    @TestHTTPResource("/")
    URL root;

    private HeadlessChromium chromium;
    private WebDriver browser;
    private final List<Mqtt3BlockingClient> clients = new java.util.ArrayList<>();

    @BeforeEach
    void startBrowser() throws Exception {
        chromium = new HeadlessChromium();
        browser = chromium.driver();
    }

    @AfterEach
    void stop() throws Exception {
        clients.forEach(TestClients::closeQuietly);
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void showsTheBrokerAndActsOnIt() throws Exception {
        Mqtt3BlockingClient sensor = connect("browser-sensor", true);
        TestClients.subscribe(sensor, "browser/+/set", 1);
        TestClients.subscribe(sensor, "browser/alarm", 0);
        TestClients.publish(sensor, "browser/kitchen/temperature", "21.5", 1, true);
        TestClients.subscribe(connect("browser-display", false), "browser/#", 1);
        connect("browser-victim", true);

        browser.get(root.toString());
        waitFor(By.id("login-form"));
        screenshot("login");
        Object refused = ((org.openqa.selenium.JavascriptExecutor) browser).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "fetch('/api/v1/admin/publish', {method: 'POST', headers: {'Content-Type': 'application/json',"
                        + " 'X-Midge-Dashboard': '1'}, body: JSON.stringify({topic: 'browser/refused'})})"
                        + ".then(r => done(r.status), e => done(String(e)));");
        assertEquals(401L, refused, "a write without credentials");

        browser.findElement(By.name("user")).sendKeys(OperationsEnabledProfile.USER);
        browser.findElement(By.name("password")).sendKeys(OperationsEnabledProfile.PASSWORD);
        browser.findElement(By.cssSelector("#login-form button")).click();
        page("overview");
        for (String metric : List.of("connections", "sessions", "subscriptions", "retained")) {
            awaitMatch(() -> metric(metric), () -> api("/api/v1/dashboard/overview").getString(metric), metric);
        }
        new WebDriverWait(browser, WAIT).until(d -> !d.findElements(By.cssSelector(".uplot")).isEmpty());
        screenshot("overview");

        browser.get(root + "#clients");
        page("clients");
        awaitMatch(() -> browser.findElement(By.id("client-count")).getText().split(" ")[0],
                () -> api("/api/v1/dashboard/clients").getString("total"), "clients");
        awaitMatch(() -> cell("browser-sensor", "subscriptions"),
                () -> api("/api/v1/dashboard/clients?search=browser-sensor").getString("clients[0].session.subscriptions"),
                "browser-sensor's subscriptions");
        screenshot("clients");
        browser.findElement(By.cssSelector("tr[data-client='browser-victim'] button.disconnect")).click();
        new WebDriverWait(browser, WAIT).until(d -> d.findElements(By.cssSelector("tr[data-client='browser-victim']"))
                .isEmpty());
        assertEquals(0, api("/api/v1/dashboard/clients?search=browser-victim").getInt("total"));

        browser.get(root + "#topics");
        page("topics");
        awaitMatch(() -> browser.findElement(By.cssSelector("#retained [data-metric=retained]")).getText(),
                () -> api("/api/v1/dashboard/topics/retained").getString("total"), "retained");
        awaitMatch(() -> browser.findElement(By.cssSelector("[data-filter='browser/+/set']")).getText().split(" ")[0],
                () -> "1", "subscribers of browser/+/set");
        browser.findElement(By.name("topic")).sendKeys("browser/from-the-page");
        browser.findElement(By.name("payload")).sendKeys("hello from the dashboard");
        browser.findElement(By.name("retain")).click();
        browser.findElement(By.cssSelector("#publish-form button[type=submit]")).click();
        new WebDriverWait(browser, WAIT).until(d -> d.findElement(By.id("publish-result")).getText()
                .startsWith("Published"));
        assertEquals("hello from the dashboard", mosquittoSubOne("browser/from-the-page"));
        waitFor(By.cssSelector("[data-topic='browser/from-the-page']"));
        screenshot("topics");

        browser.get(root + "#system");
        page("system");
        List<Map<String, Object>> listeners = api("/api/v1/dashboard/system").getList("listeners");
        assertEquals(listeners.size(), browser.findElements(By.cssSelector("#listeners tbody tr")).size());
        for (Map<String, Object> l : listeners) {
            String name = (String) l.get("name");
            assertEquals(List.of(name, l.get("kind"), l.get("host") + ":" + l.get("port"),
                    Boolean.TRUE.equals(l.get("bound")) ? "bound" : "not bound"),
                    List.of(listenerCell(name, "name"), listenerCell(name, "kind"), listenerCell(name, "address"),
                            listenerCell(name, "state")), "listener " + name);
            awaitMatch(() -> listenerCell(name, "connections"), () -> api("/api/v1/dashboard/system")
                    .getString("listeners.find { it.name == '" + name + "' }.connections"), name + "'s connections");
        }
        assertTrue(browser.findElement(By.id("config")).getText().contains("midge.admin.enabled"));
        screenshot("system");

        browser.get(root + "#cluster");
        page("cluster");
        assertTrue(browser.findElement(By.id("view")).getText().contains("Clustering is off"));
    }

    private Mqtt3BlockingClient connect(String id, boolean clean) throws Exception {
        Mqtt3BlockingClient client = TestClients.connect(listener.port(), id, clean);
        clients.add(client);
        return client;
    }

    private static JsonPath api(String path) {
        return given().header("Authorization", "Bearer " + OperationsEnabledProfile.TOKEN).get(path).then()
                .statusCode(200).extract().jsonPath();
    }

    private WebElement waitFor(By by) {
        return chromium.waitFor(by);
    }

    private void page(String name) {
        chromium.page(name);
    }

    private String metric(String name) {
        return browser.findElement(By.cssSelector("[data-metric='" + name + "']")).getAttribute("data-value");
    }

    private String listenerCell(String listener, String field) {
        return browser.findElement(By.cssSelector("tr[data-listener='" + listener + "'] td[data-field='" + field
                + "']")).getText();
    }

    private String cell(String client, String field) {
        return browser.findElement(By.cssSelector("tr[data-client='" + client + "'] td[data-field='" + field + "']"))
                .getText();
    }

    /** Waits until the page shows what the API says, both read anew each time (the pages refresh on their own). */
    private void awaitMatch(java.util.function.Supplier<String> shown, java.util.function.Supplier<String> expected,
            String what) {
        String[] last = new String[2];
        try {
            new WebDriverWait(browser, WAIT).until(d -> {
                last[0] = shown.get();
                last[1] = expected.get();
                return last[1].equals(last[0]);
            });
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError(what + ": the page shows " + last[0] + ", the API says " + last[1], e);
        }
    }

    private void screenshot(String name) throws Exception {
        chromium.screenshot(name);
    }

    private String mosquittoSubOne(String topic) throws Exception {
        Process sub = new ProcessBuilder("mosquitto_sub", "-h", "127.0.0.1", "-p", Integer.toString(listener.port()),
                "-t", topic, "-C", "1", "-W", "10").redirectErrorStream(true).start();
        try {
            assertTrue(sub.waitFor(20, TimeUnit.SECONDS), "mosquitto_sub ended");
            return new String(sub.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        } finally {
            sub.destroyForcibly();
        }
    }
}
