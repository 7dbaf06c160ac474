package io.recon.bundle;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.recon.data.FeatureRows;
import io.recon.nn.TabularGenerator;
import io.recon.nn.diffusion.TabularDiffusion;
import io.recon.nn.gan.TabularGan;
import io.recon.progress.Progress;

/**
 * A family of row generators the commands know: {@code train-generator} trains and saves one,
 * {@code synthetic-eval} loads one and samples it. One entry per kind in {@link #ALL}; everything
 * else goes through {@link TabularGenerator}.
 *
 * @param name       the kind, as options, manifests and reports name it ("ctgan")
 * @param layoutFile the file the model's own {@code save} writes beside its parameters
 * @param family     how to train, save and load it
 */
public record GeneratorKind(String name, String layoutFile, Family<?, ?> family) {

    /** The GAN of {@code nn/gan}. */
    public static final GeneratorKind CTGAN = new GeneratorKind("ctgan", TabularGan.LAYOUT_FILE, new Family<>(
            TabularGan.Settings.defaults(), TabularGan.Settings::withEpochs, TabularGan.Settings::withBatchSize,
            TabularGan.Settings::withSeed, TabularGan.Settings::withProgressEvery, TabularGan::train,
            gan -> gan.training().orElse(null), TabularGan::save, TabularGan::load));

    /** The diffusion model of {@code nn/diffusion}. */
    public static final GeneratorKind TABDDPM = new GeneratorKind("tabddpm", TabularDiffusion.LAYOUT_FILE,
            new Family<>(TabularDiffusion.Settings.defaults(), TabularDiffusion.Settings::withEpochs,
                    TabularDiffusion.Settings::withBatchSize, TabularDiffusion.Settings::withSeed,
                    TabularDiffusion.Settings::withProgressEvery, TabularDiffusion::train,
                    model -> model.training().orElse(null), TabularDiffusion::save, TabularDiffusion::load));

    /** Every kind, in the order usage lists them. */
    public static final List<GeneratorKind> ALL = List.of(CTGAN, TABDDPM);

    /** The kinds' names. */
    public static List<String> names() {
        return ALL.stream().map(GeneratorKind::name).toList();
    }

    /** The kind called {@code name}. */
    public static GeneratorKind named(String name) {
        return ALL.stream().filter(k -> k.name().equals(name)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("unknown generator kind '" + name + "'; known: " + names()));
    }

    /** Whether {@code name} is a kind. */
    public static boolean isKind(String name) {
        return names().contains(name);
    }

    /**
     * What the command line changes in the kind's default settings; null leaves the default.
     */
    public record Overrides(Integer epochs, Integer batchSize, Long seed, Integer progressEvery) {
    }

    /**
     * A trained model and what its manifest records of it.
     *
     * @param model    the model (the caller closes it)
     * @param settings the settings it was trained with
     * @param report   its own report of the training (time, losses, skipped steps); null when it keeps none
     * @param save     writes it to a folder
     */
    public record Trained(TabularGenerator model, Object settings, Object report, Saver save) {
    }

    /** Writes a trained model to a folder. */
    public interface Saver {
        void save(Path dir, ObjectMapper mapper);
    }

    /** Trains on rows and their classes, with settings, reporting progress. */
    public interface Train<S, M> {
        M train(FeatureRows rows, List<String> classOfRow, S settings, Progress progress);
    }

    /** Loads a saved model. */
    public interface Load {
        TabularGenerator load(Path dir, ObjectMapper mapper);
    }

    /** Saves a model. */
    public interface Save<M> {
        void save(M model, Path dir, ObjectMapper mapper);
    }

    /** A settings setter: {@code withEpochs}, {@code withBatchSize}... */
    public interface With<S, V> {
        S with(S settings, V value);
    }

    /**
     * One family's API, the same shape for each: default settings and their setters, train, save, load.
     *
     * @param <S> its settings
     * @param <M> its model
     */
    public record Family<S, M extends TabularGenerator>(S defaults, With<S, Integer> epochs, With<S, Integer> batchSize,
            With<S, Long> seed, With<S, Integer> progressEvery, Train<S, M> train, Function<M, Object> reportOf,
            Save<M> save, Load load) {

        /** The default settings with the overrides applied. */
        public S settings(Overrides o) {
            S s = defaults;
            s = o.epochs() == null ? s : epochs.with(s, o.epochs());
            s = o.batchSize() == null ? s : batchSize.with(s, o.batchSize());
            s = o.seed() == null ? s : seed.with(s, o.seed());
            s = o.progressEvery() == null || progressEvery == null ? s : progressEvery.with(s, o.progressEvery());
            return s;
        }

        public Trained train(FeatureRows rows, List<String> classOfRow, Overrides o, Progress progress) {
            S settings = settings(o);
            M model = train.train(rows, classOfRow, settings, progress);
            return new Trained(model, settings, reportOf.apply(model),
                    (dir, mapper) -> save.save(model, dir, mapper));
        }
    }

    /** Trains a model of this kind on {@code rows}, row i of class {@code classOfRow.get(i)}. */
    public Trained train(FeatureRows rows, List<String> classOfRow, Overrides overrides, Progress progress) {
        return family.train(rows, classOfRow, overrides, progress);
    }

    /** The default settings of this kind with the overrides applied (what a run would use). */
    public Object settings(Overrides overrides) {
        return family.settings(overrides);
    }

    /** Loads a model of this kind saved in {@code dir} (no checks: see {@link GeneratorBundle#load}). */
    public TabularGenerator load(Path dir, ObjectMapper mapper) {
        return family.load().load(dir, mapper);
    }
}
