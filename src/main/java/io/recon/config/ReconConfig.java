package io.recon.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

/**
 * Every Recon option, in one typed tree under the {@code recon.} prefix. Kafka client and
 * channel settings stay under the standard {@code kafka.} and {@code mp.messaging.} prefixes.
 */
@ConfigMapping(prefix = "recon")
public interface ReconConfig {

    /**
     * Which services this process runs: any of {@code scorer}, {@code replay}, {@code alert-log},
     * {@code gan}, {@code diffusion}
     * (see {@link Role}); anything else stops start-up. The embedded default runs all of them in
     * one process; on Kubernetes each role is its own Deployment.
     */
    @WithDefault("scorer,replay")
    Set<@WithConverter(RoleConverter.class) Role> roles();

    /** Where the VAE runs: {@code auto} picks a GPU when DJL sees one, else the CPU. */
    @WithDefault("auto")
    DeviceChoice device();

    /** Model bundles. */
    Models models();

    /** The in-process Kafka broker of the one-process default. */
    Kafka kafka();

    /** Scoring options. */
    Scoring scoring();

    /** Every topic name Recon reads or writes (the input channels take theirs from here). */
    Topics topics();

    /** The image stream ({@code imaging.events}). */
    Imaging imaging();

    /** The replay role: real recorded flows streamed into {@code telemetry.events}. */
    Replay replay();

    /** The explainer role. */
    Explainer explainer();

    /** The web console role. */
    Console console();

    /** What the dead-letter topics keep of a rejected record. */
    DeadLetter deadLetter();

    /** Who may call what over HTTP. */
    Security security();

    /** The synchronous scoring API ({@code /score/*}). */
    Rest rest();

    /** Requests for synthetic events from the {@code gan} and {@code diffusion} roles. */
    Synthetic synthetic();

    /**
     * Limits on synthetic-data requests ({@code POST /synthetic/{generator}/requests}), so that a
     * caller with an admin key still cannot flood the broker or starve the scorer of CPU.
     */
    interface Synthetic {
        /** Most events one request may ask for. */
        @WithDefault("100000")
        int maxCount();

        /** Fastest rate one request may ask for, events per second. */
        @WithDefault("1000")
        int maxRate();

        /** Rate of a request that names none, events per second. */
        @WithDefault("100")
        int defaultRate();

        /** Requests being published at once, over all generators of the process; more get 429. */
        @WithDefault("2")
        int maxActiveRequests();

        /** Requests accepted per minute, over all generators of the process; more get 429. */
        @WithDefault("10")
        int maxRequestsPerMinute();
    }

    /** Limits of the scoring API, so that it cannot take the scorer from the Kafka stream. */
    interface Rest {
        /** Most telemetry events in one request (a JSON array); more answer 413. */
        @WithDefault("1000")
        int maxEventsPerRequest();

        /**
         * Scoring requests served at once; one more answers 503 with Retry-After at once rather
         * than queue, so API callers cannot starve the Kafka consumers of CPU.
         */
        @WithDefault("2")
        int maxConcurrentRequests();

        /**
         * Telemetry events the API scores per second, all callers together (a token bucket holding
         * one full request); more answer 429 with {@code Retry-After}. The API is for interactive
         * and ad-hoc scoring: bulk traffic belongs on {@code telemetry.events}, whose latency this
         * bound protects.
         */
        @WithDefault("1000")
        int maxEventsPerSecond();

        /** Images the API scores per second, all callers together; more answer 429. */
        @WithDefault("20")
        int maxImagesPerSecond();

        /**
         * Longest an API request waits for a moment when no Kafka batch is being scored (the
         * stream goes first); past it the request answers 503 with Retry-After.
         */
        @WithDefault("2s")
        @WithConverter(DurationConverter.class) // "2s", "500ms" outside Quarkus too (RoleTest)
        Duration streamWait();

        /**
         * Nice value of the threads that score API requests (0-19): when the CPU is contended the
         * kernel gives the Kafka consumers' threads the larger share (at 10, about nine tenths).
         */
        @WithDefault("10")
        int scoringNice();
    }

    /** API keys, presented as {@code Authorization: Bearer <key>}. */
    interface Security {
        /**
         * Keys that may change state (model reloads). None by default: admin endpoints then answer
         * 401 to everyone. Set from a secret, e.g. the environment variable
         * {@code RECON_SECURITY_ADMIN_API_KEYS} (comma-separated, 16 characters or more each).
         */
        Optional<List<String>> adminApiKeys();

        /**
         * Keys that may only read and score; they matter once read endpoints require a key
         * ({@code recon.security.read-policy=key-holders}).
         */
        Optional<List<String>> readApiKeys();

        /**
         * Who may use the read endpoints (scoring, manifests, heatmaps): {@code permit} (anyone, the
         * default) or {@code key-holders} (a read or admin key). Applied through Quarkus's HTTP
         * permission {@code quarkus.http.auth.permission.reads} in application.properties.
         */
        @WithDefault("permit")
        String readPolicy();
    }

    /** Dead-letter copies. */
    interface DeadLetter {
        /**
         * Largest copy of a rejected record's value kept in its dead letter. A longer value is cut
         * to this length and the dead letter says so, with the original's size and SHA-256 (the
         * whole record stays on its source topic, at the partition and offset the headers name).
         * Must leave room under the producer's {@code max.request.size} for key and headers.
         */
        @WithDefault("524288")
        int maxCopyBytes();
    }

    /** Where a model runs. */
    enum DeviceChoice {
        /** A GPU when DJL's engine sees one, else the CPU. */
        AUTO,
        /** Always the CPU. */
        CPU,
        /** A GPU; start-up fails when none is visible, rather than silently running on the CPU. */
        GPU
    }

    /** Model bundle locations. */
    interface Models {
        /** Folder that holds one sub-folder per bundle ({@code manifest.json} + parameters). */
        @WithDefault("models")
        String dir();

        /** Name of the bundle that scores {@code telemetry.events}. */
        @WithDefault("telemetry-vae")
        String telemetry();

        /** Bundle of the {@code gan} role's flow generator (built by {@code train-generator --kind ctgan}). */
        @WithDefault("telemetry-ctgan")
        String gan();

        /** Bundle of the {@code diffusion} role's flow generator ({@code train-generator --kind tabddpm}). */
        @WithDefault("telemetry-tabddpm")
        String diffusion();

        /**
         * Bundle of the {@code gan} role's image generator ({@code train-generator --kind dcgan}),
         * publishing to {@code synthetic.imaging}; unset: the role makes flow records only.
         */
        Optional<String> ganImages();

        /** Bundle of the {@code diffusion} role's image generator ({@code train-generator --kind ddpm}); optional. */
        Optional<String> diffusionImages();

        /**
         * Names of the image bundles that score {@code imaging.events}, comma-separated (e.g.
         * {@code imaging-vae-ct,imaging-vae-fashion-1}); loaded at start with the {@code scorer} role.
         * Each event goes to the bundle whose manifest names the event's {@code modality}, else to
         * the one that names none (see {@link io.recon.scorer.ImageModelRouter}). Unset: no image
         * model, and image events are dead-lettered ({@code scoring_failed}).
         */
        Optional<List<String>> imaging();

        /**
         * Explainer bundles of the {@code explainer} role, comma-separated (built by
         * {@code train-explainer} for flow models, {@code train-image-explainer} for CT and Fashion-MNIST models); each
         * explains the alerts of the scoring model its manifest names.
         */
        @WithDefault("telemetry-explainer,imaging-ct-explainer,imaging-fashion-1-explainer")
        List<String> explainers();
    }

    /** The embedded broker. */
    interface Kafka {
        /** Embedded broker settings. */
        Embedded embedded();

        /** Embedded broker settings. */
        interface Embedded {
            /** Start a real single-node broker inside this process (off when a cluster exists). */
            @WithDefault("true")
            boolean enabled();

            /** Client port on 127.0.0.1; must match {@code kafka.bootstrap.servers}. */
            @WithDefault("9092")
            int port();

            /** KRaft controller port on 127.0.0.1. */
            @WithDefault("9093")
            int controllerPort();

            /** Log directory, kept across restarts; unset means a fresh temporary folder each start. */
            Optional<String> dataDir();

            /** Partitions of the input topics it creates (the unit of scorer parallelism). */
            @WithDefault("4")
            int partitions();
        }
    }

    /** Scoring options. */
    interface Scoring {
        /** Samples K of the importance-weighted bound (and of the ELBO estimate). */
        @WithDefault("16")
        int iwaeSamples();

        /** How many per-feature contributions an alert carries. */
        @WithDefault("5")
        int topContributions();

        /**
         * What goes to {@code recon.verdicts} per event: {@code full}, {@code compact} or {@code
         * alerts-only} (nothing). The embedded default writes full verdicts, for a person looking;
         * the Kubernetes and Compose set-ups write compact ones, a third of a full verdict's bytes.
         */
        @WithDefault("full")
        VerdictMode verdicts();

        /** Older switch: {@code false} means {@code verdicts=alerts-only}. */
        @WithDefault("true")
        boolean publishVerdicts();

        /** The verdict mode in force, the older switch included. */
        default VerdictMode verdictMode() {
            return publishVerdicts() ? verdicts() : VerdictMode.ALERTS_ONLY;
        }

        /**
         * Score telemetry in two stages when the model alerts on the IWAE bound (batches of at least
         * {@link #twoStageMinBatch()} events): one latent sample first, all K only for events whose
         * bound reaches the threshold. The same alerts; a normal event's verdict then carries the
         * bound (scores.bound) instead of the K-sample values.
         */
        @WithDefault("true")
        boolean twoStage();

        /**
         * Smallest batch scored in two stages. The network runs in calls of a fixed 256 rows, so a
         * batch pays per call. From 32 events on, two stages never take more calls than K samples
         * for every event: at 32, 4 and 4 (encoder, mean, first sample, one call of samples for the
         * events that need them, the drift monitor's one in ten included); at 64, 4 against 6 on
         * normal traffic and 5 against 6 on the recorded mix, a third of it attacks; and their
         * plain-Java sampling arithmetic covers only the events that need it. In five runs of the
         * compute ceiling (tests/bench/throughput.sh, 2026-12-05) two stages scored 1.08-1.36 times
         * as fast at 32 events on the recorded mix and 0.95-2.06 times on normal flows; at 64,
         * 1.34-1.57 and 1.59-2.14. Below 17 events K samples take 3 calls and two stages 3 or 4.
         * (The crossover was 100-200 events before the calls had a fixed shape.)
         */
        @WithDefault("32")
        int twoStageMinBatch();

        /**
         * libtorch threads per scoring call. One suits the default of one call per consumer
         * thread; more threads per call only fight each other on a small machine.
         */
        @WithDefault("1")
        int torchThreads();
    }

    /** Output topic names. */
    interface Topics {
        /**
         * Incoming flow records; the scorer's {@code telemetry-events} channel reads its topic from
         * here, the replay role writes to it, the embedded broker creates it.
         */
        @WithDefault("telemetry.events")
        String telemetryEvents();

        /** Incoming image events; the {@code imaging-events} channel reads its topic from here. */
        @WithDefault("imaging.events")
        String imagingEvents();

        /** Alerts, keyed by event id. */
        @WithDefault("recon.alerts")
        String alerts();

        /** A verdict for every scored event, keyed by event id. */
        @WithDefault("recon.verdicts")
        String verdicts();

        /** Rejected telemetry events: original bytes plus the reason in headers. */
        @WithDefault("telemetry.events.dlq")
        String telemetryDlq();

        /** Rejected image events: original bytes plus the reason in headers. */
        @WithDefault("imaging.events.dlq")
        String imagingDlq();

        /** Explanations of alerts from the {@code explainer} role, keyed by event id. */
        @WithDefault("recon.explanations")
        String explanations();

        /** Alerts the explainer cannot explain (malformed, or of a model it has no explainer for), with the reason. */
        @WithDefault("recon.alerts.dlq")
        String alertsDlq();

        /** Synthetic flow records from the {@code gan} and {@code diffusion} roles, marked {@code synthetic: true}. */
        @WithDefault("synthetic.telemetry")
        String syntheticTelemetry();

        /** Synthetic images (no image generator is bundled yet; the topic is created for them). */
        @WithDefault("synthetic.imaging")
        String syntheticImaging();
    }

    /** The image stream. */
    interface Imaging {
        /**
         * Folder that claim-check events ({@code "uri": "file:///..."}) may point into; files outside
         * it are refused. Unset: claim checks are refused, images must come inline ({@code data}).
         */
        Optional<String> uriRoot();

        /** How many recent alert heatmaps {@code GET /alerts/{id}/heatmap.png} can serve (oldest dropped). */
        @WithDefault("10000")
        int heatmapCapacity();

        /** The most bytes those heatmaps (and their ids) may hold together (oldest dropped first). */
        @WithDefault("67108864")
        long heatmapMaxBytes();
    }

    /** The explainer role. */
    interface Explainer {
        /** How many recent explanations {@code GET /alerts/{id}/explanation} can serve (oldest dropped). */
        @WithDefault("10000")
        int storeCapacity();

        /** The most bytes those explanations (and their ids) may hold together. */
        @WithDefault("33554432")
        long storeMaxBytes();

        /** Alerts read per poll, explained together (one network call per model). */
        @WithDefault("64")
        int maxPollRecords();

        /**
         * Synthetic alerts explained at start, before the first real alert is read, so that the JIT
         * has compiled the explain path by then (the role is not ready until it is done); 0 turns
         * the warm-up off.
         */
        @WithDefault("2000")
        int warmUpAlerts();

        /** The longest the warm-up may take; the role then reads alerts however far it got. */
        @WithDefault("30s")
        @WithConverter(DurationConverter.class)
        Duration warmUpLimit();
    }

    /** The console role: what it keeps in memory of what it read back from Kafka. */
    interface Console {
        /** How many recent alerts the live list and the detail pages can show (oldest dropped). */
        @WithDefault("1000")
        int alertCapacity();

        /** The most bytes those alerts (images and heatmaps included) may hold together. */
        @WithDefault("67108864")
        long alertMaxBytes();

        /** How many recent dead letters (from every dead-letter topic) it shows. */
        @WithDefault("200")
        int deadLetterCapacity();

        /** Alerts read back from each partition's tail at start, so a restarted console is not empty. */
        @WithDefault("100")
        int backfillPerPartition();

        /** Seconds between two readings of the topics' end offsets and the scorer's consumer lag. */
        @WithDefault("5")
        int rateSampleSeconds();

        /** Seconds over which stream rates are averaged. */
        @WithDefault("60")
        int rateWindowSeconds();
    }

    /** The replay role. */
    interface Replay {
        /** CSV (optionally gzipped) of recorded flows, in the capture format of tests/capture. */
        @WithDefault("tests/data/telemetry/flows.csv.gz")
        String file();

        /** Offered load in events per second. */
        @WithDefault("100")
        int rate();

        /**
         * Share of replayed events that are attack rows, mixed among shuffled normal rows (a
         * capture is recorded one generator after another); negative replays in file order.
         */
        @WithDefault("0.05")
        double attackShare();

        /** Start again from the top when the file ends. */
        @WithDefault("true")
        boolean loop();

        /** Every n-th event is deliberately malformed, to show the dead-letter path; 0 = never. */
        @WithDefault("0")
        int malformedEvery();

        /**
         * Folder of sample images (PNG, DICOM) the role also streams into {@code imaging.events},
         * cycling (see {@code tests/data/imaging/replay}); missing or empty: flows only.
         */
        @WithDefault("tests/data/imaging/replay")
        String images();

        /** Time between two replayed image events ("3s", "500ms"); 0 turns image replay off. */
        @WithDefault("3s")
        @WithConverter(DurationConverter.class)
        Duration imageInterval();
    }

    /** The one-line summary the scorer logs ({@code recon.summary}). */
    Summary summary();

    /** The scorer's summary line: events/s per stream, alerts, dead letters and consumer lag. */
    interface Summary {
        /** How often a process with the scorer role logs the line, over the interval just ended; 0 turns it off. */
        @WithDefault("60s")
        @WithConverter(DurationConverter.class)
        Duration interval();
    }

    /** Drift watch and recalibration of the scoring models ({@code GET /models/{name}/drift}). */
    Drift drift();

    /**
     * Per model, recent scores of events that did not alert against the calibration scores: a population
     * stability index and a Kolmogorov-Smirnov distance, and the window a recalibration sets a new
     * threshold from.
     */
    interface Drift {
        /** Scores kept per model (non-alerting ones for the statistics; all for recalibration). */
        @WithDefault("2000")
        int windowSize();

        /** Fewest scores in the window before it is judged drifting or may recalibrate a model. */
        @WithDefault("500")
        int minEvents();

        /** PSI above this is drift (0.1-0.2 is the usual "watch", above 0.2 "act"). */
        @WithDefault("0.2")
        double psiAlertLevel();

        /** PSI bins, of equal probability under the calibration scores. */
        @WithDefault("10")
        int psiBins();

        /**
         * Chance that a window from the calibration distribution exceeds the KS alert level: the level is
         * the two-sample critical value for the window's and the calibration's sizes at this significance.
         */
        @WithDefault("0.001")
        double ksSignificance();

        /**
         * With two-stage telemetry scoring, a non-alerting event carries a one-sample bound rather than the
         * score its threshold was calibrated on; one event in n, picked by its id (the same event is always
         * picked or not), gets the K-sample score so that the window gets true scores (0: none, leaving the
         * window to batches too small for two stages).
         */
        @WithDefault("10")
        int exactEvery();

        /**
         * A recalibration is refused when more than this share of the window's events alert: a threshold
         * set at a 1% false-positive rate on traffic with many attacks would hide them.
         */
        @WithDefault("0.05")
        double recalibrateMaxAlertShare();
    }
}
