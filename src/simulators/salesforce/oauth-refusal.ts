/** An OAuth error as the token endpoint answers it: HTTP 400 and `{"error":…,"error_description":…}` ("OAuth 2.0 Authorization Errors"). */
export interface OAuthRefusal {
  error: string;
  description: string;
}

export const refuse = (error: string, description: string): OAuthRefusal => ({ error, description });
