# What runs inside containers: a shell image's command runs in the lab's shell, its output
# is the container's log, and its exit code decides the pod's fate. Each image has the
# tools the real image has: busybox has wget but no curl.
kubectl create deployment web --image=ikubernetes/demoapp:v1.0 --replicas=2
kubectl expose deployment web --port=80
kubectl rollout status deployment web
kubectl run once --image=busybox --restart=Never -- sh -c 'echo start; wget -qO- web; sleep 5; echo done; exit 3'
sleep 2
kubectl get pod once
kubectl logs once
sleep 5
kubectl get pod once
kubectl logs once
kubectl run nocurl --image=busybox --restart=Never -- curl -s web
sleep 3
kubectl get pod nocurl
kubectl run t --image=busybox --restart=Never -it --rm -- wget -qO- web
kubectl run fails --image=busybox --restart=Never -it --rm -- sh -c 'echo bye; exit 4'
echo "exit status $?"
kubectl run ticker --image=busybox -- sh -c 'i=0; while true; do i=$((i+1)); echo tick $i; sleep 1; done'
sleep 6
kubectl logs ticker --tail=2
kubectl exec ticker -- wget -O- web
kubectl exec ticker -- curl -s web
kubectl exec ticker -- sh -c 'echo in $(hostname); exit 5'
echo "exit status $?"
kubectl exec deploy/web -- hostname
kubectl run crash --image=busybox -- sh -c 'echo crashing; exit 1'
sleep 15
kubectl get pod crash
kubectl logs crash --previous
