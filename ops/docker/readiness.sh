#!/bin/bash
# The image's health check: succeeds when the service's readiness probe answers 200. Bash's /dev/tcp speaks the
# request, so the image needs neither curl nor wget.
exec 3<>/dev/tcp/127.0.0.1/8080 || exit 1
printf 'GET /actuator/health/readiness HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
read -r -t 3 protocol status rest <&3 || exit 1
[ "$status" = "200" ]
