package io.seatledger.api.http;

import io.seatledger.messages.common.ErrorCode;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What a route answers, for its OpenAPI operation ({@link OpenApiConfiguration#statusesAndProblems}): the success
 * statuses it really returns, and the contract codes its own handler can refuse with. The problems every route of a
 * kind shares (401, 413, 415, 422, 429, 500, 503) are added by rule, not listed here. Every documented status is one
 * some test produces (OpenApiStatusCoverageCheck).
 */
@Documented
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface ApiStatuses {

    /** The success statuses, each answering with the handler's body. */
    int[] success() default 200;

    /** The codes the handler itself refuses with; their statuses become problem responses. */
    ErrorCode[] problems() default {};
}
