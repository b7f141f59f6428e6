"""userError codes are one enum, described in the schema, and still plain strings on the wire."""

from graphql import GraphQLEnumType, GraphQLNonNull, GraphQLObjectType

from db.errors import CODE_DESCRIPTIONS, SyncInProgress, UserErrorCode, UserErrors
from db.models import SyncLog
from graph.schema import schema


def test_user_error_code_is_a_described_enum_in_the_schema() -> None:
    user_error = schema._schema.type_map["UserError"]
    assert isinstance(user_error, GraphQLObjectType)
    code_type = user_error.fields["code"].type
    assert isinstance(code_type, GraphQLNonNull)
    enum = code_type.of_type
    assert isinstance(enum, GraphQLEnumType) and enum.name == "UserErrorCode"
    assert enum.description
    assert set(enum.values) == {code.name for code in UserErrorCode}
    assert all(value.description for value in enum.values.values())


def test_every_code_has_a_description() -> None:
    assert set(CODE_DESCRIPTIONS) == set(UserErrorCode)


def test_codes_serialise_as_their_names() -> None:
    assert all(code.value == code.name for code in UserErrorCode)


def test_sync_in_progress_is_a_user_error_carrying_the_running_log() -> None:
    running = SyncLog(channel_id="c1", direction="PUSH")
    busy = SyncInProgress(running, field="id")
    assert isinstance(busy, UserErrors)
    assert busy.running is running
    assert [(e.field, e.code) for e in busy.errors] == [(["id"], UserErrorCode.SYNC_IN_PROGRESS)]
