from .models import Token


def save_token(client, jti, resource):
    return Token.objects.create(client=client, jti=jti, resource=resource)


def tokens_of(client_id):
    return list(Token.objects.filter(client_id=client_id).order_by("jti").values("id", "jti"))
