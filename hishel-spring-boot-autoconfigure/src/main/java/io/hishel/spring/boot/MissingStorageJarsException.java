package io.hishel.spring.boot;

import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code hishel.storage.type} names a storage whose jars are not on the class path. Thrown while
 * the application starts; {@link HishelFailureAnalyzer.MissingStorageJarsAnalyzer} reports the
 * artifacts to add.
 */
class MissingStorageJarsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final HishelProperties.StorageType type;
    private final transient List<HishelStorageConfiguration.Requirement> missing;

    MissingStorageJarsException(HishelProperties.StorageType type, List<HishelStorageConfiguration.Requirement> missing) {
        super("hishel.storage.type is " + type.name().toLowerCase(java.util.Locale.ROOT)
                + ", but the class path lacks " + missing.stream()
                        .map(requirement -> requirement.className() + " (" + requirement.artifact() + ")")
                        .collect(Collectors.joining(", ")));
        this.type = type;
        this.missing = List.copyOf(missing);
    }

    HishelProperties.StorageType type() {
        return type;
    }

    List<HishelStorageConfiguration.Requirement> missing() {
        return missing;
    }
}
