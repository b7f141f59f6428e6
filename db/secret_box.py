"""Encryption of channel credentials at rest (Fernet: AES-128-CBC with HMAC-SHA256)."""

import base64
import binascii

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


class SecretBoxError(Exception):
    """A stored credential cannot be decrypted, most likely because SIGMA_SECRET_KEY changed."""


def _fernet_key(secret_key: str) -> bytes:
    try:
        if len(base64.urlsafe_b64decode(secret_key.encode())) == 32:
            return secret_key.encode()
    except (binascii.Error, ValueError):
        pass
    # Any other string (an operator's passphrase) is stretched into a Fernet key.
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"sigma-channel-token")
    return base64.urlsafe_b64encode(derived.derive(secret_key.encode()))


class SecretBox:
    def __init__(self, secret_key: str) -> None:
        self._fernet = Fernet(_fernet_key(secret_key))

    def __repr__(self) -> str:
        return "SecretBox(<key hidden>)"

    def encrypt(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode()).decode()

    def decrypt(self, ciphertext: str) -> str:
        try:
            return self._fernet.decrypt(ciphertext.encode()).decode()
        except InvalidToken:
            raise SecretBoxError(
                "the channel's access token cannot be decrypted: SIGMA_SECRET_KEY differs from "
                "the key it was saved with; save the channel's access token again"
            ) from None
