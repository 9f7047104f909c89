package io.caravan.serve;

import io.caravan.batch.TableRun;
import io.caravan.mapping.Secret;
import io.caravan.mapping.Settings;
import io.caravan.runtime.RunListener;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.seda.SedaEndpoint;
import org.apache.camel.component.slack.SlackComponent;
import org.apache.camel.component.slack.SlackEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Posts run outcomes to Slack (the settings' {@code notify} and {@code slack_notif}, DMS seed "Settings"): a failure
 * with its error and next attempt, a success with its summary, a cut-off with when the table resumes.
 *
 * <p>{@link #finished} only formats the text and offers it to a bounded in-memory queue
 * ({@code seda:}{@value #QUEUE}, {@value #QUEUE_SIZE} messages); it never waits for Slack and never throws. When
 * the queue is full the message is dropped with a WARN line. The route {@value #ROUTE_ID}, added by
 * {@link #install}, takes messages from the queue and sends them through camel-slack: webhook mode when
 * {@code slack_notif.webhook_url} is given, else token mode ({@code slack_token} and {@code channel}, the Web API's
 * {@code chat.postMessage}). A failed send is tried {@value #REDELIVERIES} more times, {@value #FIRST_DELAY_MS} ms
 * then twice as long each time; after the last it is dropped with a WARN line. So a Slack outage never fails or
 * holds up a run.
 *
 * <p>{@code slack_token} and {@code webhook_url} are either a literal or a whole {@code ${env:NAME}} reference
 * ({@link Secret}), resolved when the notifier is made. When both are given, the webhook is used. Thread-safe.
 */
public final class SlackNotifier implements RunListener {

    /** Name of the seda queue in front of Slack. */
    public static final String QUEUE = "caravan-slack";
    /** Messages the queue holds before new ones are dropped. */
    public static final int QUEUE_SIZE = 100;
    /** Id of the route that sends the queue's messages to Slack. */
    public static final String ROUTE_ID = "caravan.slack";
    static final int REDELIVERIES = 3;
    static final long FIRST_DELAY_MS = 500;
    static final String SUBJECT = "CaravanSlackSubject";
    private static final String QUEUE_URI = "seda:" + QUEUE + "?size=" + QUEUE_SIZE;
    private static final Logger LOG = LoggerFactory.getLogger(SlackNotifier.class);

    private final boolean enabled;
    private final Target target;
    private final SlackMessages messages;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong unsent = new AtomicLong();
    private final Map<String, Instant> cutOffsPosted = new ConcurrentHashMap<>();
    private volatile SedaEndpoint queue;

    /**
     * Where messages go.
     *
     * @param webhookUrl incoming webhook URL; null in token mode
     * @param token      bot token; null in webhook mode
     * @param channel    {@code #channel} or user; null in webhook mode when not given (the webhook's own channel)
     * @param serverUrl  Slack Web API base URL in token mode; null for camel-slack's default {@code https://slack.com}
     */
    private record Target(String webhookUrl, String token, String channel, String serverUrl) {
    }

    private SlackNotifier(boolean enabled, Target target, SlackMessages messages) {
        this.enabled = enabled;
        this.target = target;
        this.messages = messages;
    }

    /**
     * @param settings the settings; never null
     * @return a notifier posting to the settings' {@code slack_notif}, or a no-op notifier (nothing is installed,
     *         nothing is posted) when {@code notify} is false
     * @throws IllegalArgumentException naming the {@code slack_notif} key when {@code notify} is true and neither
     *                                  {@code webhook_url} nor {@code slack_token} with {@code channel} is given, or
     *                                  when a {@code ${env:NAME}} it names is not set
     */
    public static SlackNotifier forSettings(Settings settings) {
        return forSettings(settings, null);
    }

    /**
     * As {@link #forSettings(Settings)}, with the Web API's base URL given (token mode only).
     *
     * @param settings  the settings; never null
     * @param serverUrl base URL of the Slack Web API, e.g. {@code http://127.0.0.1:8099} for a local stub (it must
     *                  answer {@code POST /api/auth.test} and {@code /api/chat.postMessage} with {@code {"ok":true}});
     *                  null for {@code https://slack.com}
     * @return a notifier, or a no-op notifier when {@code notify} is false
     * @throws IllegalArgumentException as {@link #forSettings(Settings)}
     */
    public static SlackNotifier forSettings(Settings settings, String serverUrl) {
        if (!settings.notifyEnabled()) {
            return disabled();
        }
        SlackMessages messages = new SlackMessages(ZoneId.of(settings.timezone()), settings.cutOffTime());
        return new SlackNotifier(true, target(settings.slackNotif(), serverUrl), messages);
    }

    /** @return a notifier that posts nothing and installs nothing ({@code notify: false}) */
    public static SlackNotifier disabled() {
        return new SlackNotifier(false, null, null);
    }

    private static Target target(Map<String, String> slack, String serverUrl) {
        String channel = slack.get("channel");
        if (slack.containsKey("webhook_url")) {
            return new Target(resolve(slack, "webhook_url"), null, channel, null);
        }
        if (slack.containsKey("slack_token") && channel != null) {
            return new Target(null, resolve(slack, "slack_token"), channel, serverUrl);
        }
        throw new IllegalArgumentException("settings slack_notif: notify is true but neither webhook_url nor "
                + "slack_token with channel is given; add slack_notif: with webhook_url, or with slack_token and "
                + "channel");
    }

    private static String resolve(Map<String, String> slack, String key) {
        try {
            return new Secret(slack.get(key)).resolve();
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("settings slack_notif." + key + ": " + e.getMessage()
                    + "; export it or write the value", e);
        }
    }

    /** @return whether this notifier posts anything ({@code notify: true}) */
    public boolean enabled() {
        return enabled;
    }

    /** @return whether the notifier posts through an incoming webhook (else the Web API with a token) */
    public boolean webhookMode() {
        return enabled && target.webhookUrl() != null;
    }

    /**
     * Adds the route {@value #ROUTE_ID}: queue to Slack, with its own error handler (so the context's error handler,
     * even {@code noErrorHandler}, does not matter). Nothing is added when the notifier is disabled. Call once per
     * context, before or after it starts; messages offered before it starts wait in the queue.
     *
     * @param context the serve process's context; never null
     * @throws Exception when Camel refuses the route
     */
    public void install(CamelContext context) throws Exception {
        if (!enabled) {
            return;
        }
        ProducerTemplate producer = context.createProducerTemplate();
        context.addService(producer, true, false);
        SlackEndpoint slack = slackEndpoint(context);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(defaultErrorHandler());
                onException(Exception.class).handled(true)
                        .maximumRedeliveries(REDELIVERIES).redeliveryDelay(FIRST_DELAY_MS)
                        .useExponentialBackOff().backOffMultiplier(2)
                        .retryAttemptedLogLevel(LoggingLevel.DEBUG)
                        .log(LoggingLevel.WARN, LOG, "Slack notification (${header." + SUBJECT + "}) not sent after "
                                + (REDELIVERIES + 1) + " attempts, dropped: ${exception.class.name}: "
                                + "${exception.message}")
                        .process(exchange -> unsent.incrementAndGet());
                from(QUEUE_URI).routeId(ROUTE_ID)
                        .process(exchange -> sendNow(producer, slack, exchange))
                        .process(exchange -> sent.incrementAndGet());
            }
        });
        queue = context.getEndpoint(QUEUE_URI, SedaEndpoint.class);
    }

    /**
     * Sends to camel-slack and returns once the answer is judged. camel-slack 4.18's producer calls back "done" before
     * it sets the error of a webhook answer other than 2xx, or of a Web API answer {@code "ok": false}, on the
     * exchange (SlackProducer.sendMessageByWebhookURL and sendMessageByToken), too late for the error handler around a
     * {@code to("slack:...")}. A synchronous send returns after that, so the error is on the exchange when this step
     * ends and the route's error handler sees it.
     */
    private static void sendNow(ProducerTemplate producer, Endpoint slack, Exchange exchange) {
        producer.send(slack, exchange);
    }

    private SlackEndpoint slackEndpoint(CamelContext context) {
        SlackComponent component = context.getComponent("slack", SlackComponent.class);
        String channel = target.channel();
        SlackEndpoint endpoint = new SlackEndpoint("slack:" + (channel == null ? "webhook" : channel), channel,
                component);
        if (target.webhookUrl() != null) {
            endpoint.setWebhookUrl(target.webhookUrl());
        } else {
            endpoint.setToken(target.token());
            if (target.serverUrl() != null) {
                endpoint.setServerUrl(target.serverUrl());
            }
        }
        return endpoint;
    }

    /** Queues the run's outcome for Slack: a failure, a success summary or a cut-off. Never blocks, never throws. */
    @Override
    public void finished(TableRun run) {
        if (!enabled) {
            return;
        }
        try {
            String text = messages.finished(run);
            if (text != null) {
                String status = run.status().name().toLowerCase(Locale.ROOT);
                offer(run.job() + "." + run.table().tableName() + " " + status, text);
            }
        } catch (RuntimeException e) {
            LOG.warn("Slack notification for {}.{} not queued: {}", run.job(), run.table().tableName(),
                    e.toString());
        }
    }

    /**
     * Queues "job X stopped by the cut-off at HH:MM, resumes at ..." (the time of day is the settings'
     * {@code cut_off_time}), once per job and {@code resumesAt}: a second call for the same job and time is ignored,
     * so the caller may call it from every table, every skipped schedule. Never blocks, never throws.
     *
     * @param job       job name; never null
     * @param resumesAt when the job's tables may start again; null when unknown ("at its next schedule")
     */
    @Override
    public void cutOff(String job, ZonedDateTime resumesAt) {
        if (!enabled) {
            return;
        }
        Instant resumes = resumesAt == null ? Instant.EPOCH : resumesAt.toInstant();
        if (resumes.equals(cutOffsPosted.put(job, resumes))) {
            return;
        }
        try {
            offer(job + " cut off", messages.cutOff(job, resumesAt));
        } catch (RuntimeException e) {
            LOG.warn("Slack notification of the cut-off of {} not queued: {}", job, e.toString());
        }
    }

    /** @return messages Slack accepted */
    public long sent() {
        return sent.get();
    }

    /** @return messages dropped because the queue was full or the notifier was not installed */
    public long dropped() {
        return dropped.get();
    }

    /** @return messages dropped after every attempt to send them to Slack failed */
    public long unsent() {
        return unsent.get();
    }

    /**
     * Puts the message straight into the seda queue: {@code offer} either takes it at once or says the queue is full.
     * (Sent through camel-seda's producer, a message refused by a full queue stays counted in the context's inflight
     * repository for good, one per dropped message.)
     */
    private void offer(String subject, String text) {
        SedaEndpoint endpoint = queue;
        if (endpoint == null) {
            dropped.incrementAndGet();
            LOG.warn("Slack notification ({}) dropped: the notifier is not installed in a Camel context", subject);
            return;
        }
        Exchange exchange = endpoint.createExchange();
        exchange.getIn().setHeader(SUBJECT, subject);
        exchange.getIn().setBody(text);
        if (!endpoint.getQueue().offer(exchange)) {
            dropped.incrementAndGet();
            LOG.warn("Slack notification ({}) dropped: {} messages already wait for Slack", subject, QUEUE_SIZE);
        }
    }
}
