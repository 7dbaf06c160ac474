package io.recon.nn;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.recon.config.ReconConfig.DeviceChoice;

/** Turns {@code recon.device} into a DJL device. */
public final class DeviceSelector {

    private DeviceSelector() {
    }

    /**
     * The device for a service's models, with libtorch's thread counts set first: DJL reads them when
     * its engine starts, whichever role loads a model first (an explicit -D on the command line wins).
     */
    public static Device forService(DeviceChoice choice, int torchThreads) {
        String threads = Integer.toString(torchThreads);
        System.setProperty("ai.djl.pytorch.num_threads", System.getProperty("ai.djl.pytorch.num_threads", threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads",
                System.getProperty("ai.djl.pytorch.num_interop_threads", threads));
        return select(choice);
    }

    /** The device for a choice; {@code GPU} without a visible GPU is an error, not a silent fallback. */
    public static Device select(DeviceChoice choice) {
        int gpus = Engine.getInstance().getGpuCount();
        return switch (choice) {
            case CPU -> Device.cpu();
            case AUTO -> gpus > 0 ? Device.gpu() : Device.cpu();
            case GPU -> {
                if (gpus == 0) {
                    throw new IllegalStateException("recon.device=gpu, but DJL's PyTorch engine sees no GPU. "
                            + "Point PYTORCH_LIBRARY_PATH/PYTORCH_VERSION/PYTORCH_FLAVOR at a CUDA libtorch "
                            + "(README: Running on a GPU) or use recon.device=auto");
                }
                yield Device.gpu();
            }
        };
    }
}
