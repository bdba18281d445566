export async function Profile({ id }) {
  const user = await fetchUser(id);
  return <p onClick={async () => { await refresh(); }}>please await {user.name}</p>;
}
const Static = () => <p>{label}</p>;
