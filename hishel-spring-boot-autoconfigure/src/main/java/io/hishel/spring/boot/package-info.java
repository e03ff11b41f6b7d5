/**
 * The Spring Boot starter: {@link io.hishel.spring.boot.HishelAutoConfiguration} builds the options,
 * policy, storage and filter from {@link io.hishel.spring.boot.HishelProperties} ({@code hishel.*}),
 * each replaceable by a bean; {@link io.hishel.spring.boot.HttpCache} declares a controller's
 * directives; {@code RouteRules} compiles {@code hishel.rules}.
 */
package io.hishel.spring.boot;
