package io.recon.synthetic;

import io.recon.nn.TabularGenerator;

/**
 * A loaded generator as the synthetic-data service serves it: the model, and the name and version
 * every event it makes carries.
 *
 * @param name      the generator's kind, as requests name it: "ctgan", "tabddpm"
 * @param version   its bundle's version
 * @param bundle    the bundle folder, for the log
 * @param generator the model (the service closes it at shutdown)
 */
public record GeneratorSource(String name, String version, String bundle, TabularGenerator generator) {
}
