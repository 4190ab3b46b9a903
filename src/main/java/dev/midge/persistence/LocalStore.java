package dev.midge.persistence;

import jakarta.inject.Qualifier;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * This node's own store, as {@code midge.persistence.*} asks for. The broker uses the unqualified
 * {@link BrokerStore}, which is this one alone, or this one beside the cluster's copy when clustering is on.
 */
@Qualifier
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.FIELD, ElementType.PARAMETER, ElementType.TYPE})
public @interface LocalStore {
}
