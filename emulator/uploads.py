"""The staged-upload endpoint: a multipart POST like Google Cloud Storage's signed form upload."""

from aiohttp import BodyPartReader, web

from emulator.server import STATE


def _xml_error(code: str, message: str, status: int) -> web.Response:
    body = (
        f"<?xml version='1.0' "
        f"encoding='UTF-8'?><Error><Code>{code}</Code><Message>{message}</Message></Error>"
    )
    return web.Response(status=status, text=body, content_type="application/xml")


async def staged_upload(request: web.Request) -> web.Response:
    state = request.app[STATE]
    try:
        reader = await request.multipart()
    except (AssertionError, ValueError, KeyError):
        return _xml_error("InvalidArgument", "Expected a multipart/form-data body.", 400)
    fields: dict[str, str] = {}
    content: bytes | None = None
    while (part := await reader.next()) is not None:
        if not isinstance(part, BodyPartReader):
            continue
        if part.name == "file":
            # The POST policy's content-length-range: 20 MB before 2026-01, 100 MB from it
            # ("Faster bulk operations" changelog), per the version that created the target.
            limit = state.bulk.staged_limit(fields.get("key")) if state.bulk else 0
            chunks, size = [], 0
            while chunk := await part.read_chunk(65536):
                size += len(chunk)
                if size > limit:
                    message = (
                        f"Your proposed upload exceeds the maximum allowed size ({limit} bytes)."
                    )
                    return _xml_error("EntityTooLarge", message, 400)
                chunks.append(chunk)
            content = b"".join(chunks)
            break
        fields[part.name or ""] = await part.text()
    key = fields.get("key")
    if not key or content is None:
        return _xml_error(
            "InvalidArgument", "The form must contain a 'key' field followed by a 'file'.", 400
        )
    state.store.files.staged[key] = content
    location = f"{state.base_url}/staged-uploads/{key}"
    body = (
        f"<?xml version='1.0' "
        f"encoding='UTF-8'?><PostResponse><Location>{location}</Location><Key>{key}</Key></PostResponse>"
    )
    return web.Response(
        status=int(fields.get("success_action_status") or 204),
        text=body,
        content_type="application/xml",
    )


ROUTES = [web.post("/staged-uploads", staged_upload)]
