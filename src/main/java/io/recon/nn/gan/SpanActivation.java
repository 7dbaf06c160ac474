package io.recon.nn.gan;

import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;

/**
 * CTGAN's output activation of the generator, span by span: tanh for each alpha, Gumbel-softmax for
 * each one-hot (a mode or a category), so that the critic sees near-one-hot vectors as it sees in
 * real rows while gradients still flow. The Gumbel noise comes in as an array (from
 * {@link JavaNoise}), not from libtorch, so that sampling is reproducible on any CPU.
 */
final class SpanActivation {

    private SpanActivation() {
    }

    /**
     * The activated rows.
     *
     * @param raw    generator output, (rows, width)
     * @param gumbel standard Gumbel noise of the same shape (columns of alpha spans unused)
     * @param tau    softmax temperature (CTGAN: 0.2)
     */
    static NDArray activate(NDArray raw, NDArray gumbel, List<Span> spans, float tau) {
        NDList parts = new NDList(spans.size());
        for (Span span : spans) {
            String columns = ":, " + span.start() + ":" + span.end();
            NDArray slice = raw.get(columns);
            parts.add(span.kind() == Span.Kind.ALPHA ? slice.tanh()
                    : slice.add(gumbel.get(columns)).div(tau).softmax(1));
        }
        return NDArrays.concat(parts, 1);
    }
}
